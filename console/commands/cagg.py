"""`obsconsole cagg refresh VIEW --from --to`."""

from __future__ import annotations

from typing import Annotated

import typer

from console.commands.common import (
    ActionFlags,
    DryRunOption,
    DsnOption,
    LockTimeoutOption,
    StatementTimeoutOption,
    YesOption,
    group,
    run_action,
)

cagg_app = group("cagg", "Continuous aggregates (TimescaleDB Community).")

_WHEN = "ISO 8601 time (2026-11-20T00:00Z) or an age before now (2d, 12h)"


@cagg_app.command("refresh")
def cagg_refresh(
    ctx: typer.Context,
    view: Annotated[str, typer.Argument(help="The continuous aggregate's view name.")],
    start: Annotated[str | None, typer.Option("--from", help=f"Window start: {_WHEN}; default open.",
                                              show_default=False)] = None,
    end: Annotated[str | None, typer.Option("--to", help=f"Window end: {_WHEN}; default open.",
                                            show_default=False)] = None,
    yes: YesOption = False,
    dry_run: DryRunOption = False,
    lock_timeout: LockTimeoutOption = None,
    statement_timeout: StatementTimeoutOption = None,
    dsn: DsnOption = None,
) -> None:
    """Recompute the aggregate's buckets over a window (outside a transaction, as the procedure requires)."""
    from console.actions.caggs import CaggRefresh
    from console.infra.durations import parse_moment

    request = CaggRefresh(view, parse_moment(start, "--from"), parse_moment(end, "--to"))
    run_action(ctx, dsn, request, ActionFlags(yes, dry_run, lock_timeout, statement_timeout))
