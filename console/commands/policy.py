"""`obsconsole policy retention|compression T --after 30d` / `--remove`."""

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

policy_app = group("policy", "Add, change or remove retention and compression policies (Community).")

Relation = Annotated[str, typer.Argument(help="A hypertable or continuous aggregate.")]
AfterOption = Annotated[str | None, typer.Option("--after", help="Age, e.g. 30d (replaces the current policy).",
                                                 show_default=False)]
RemoveOption = Annotated[bool, typer.Option("--remove", help="Remove the policy.")]


def _policy(ctx: typer.Context, kind: str, relation: str, after: str | None, remove: bool, flags: ActionFlags,
            dsn: str | None) -> None:
    from console.actions.policies import PolicyChange
    from console.infra.durations import parse_interval

    age = parse_interval(after, "--after") if after else None
    run_action(ctx, dsn, PolicyChange(kind, relation, age, remove), flags)


@policy_app.command("retention")
def policy_retention(ctx: typer.Context, relation: Relation, after: AfterOption = None, remove: RemoveOption = False,
                     yes: YesOption = False, dry_run: DryRunOption = False, lock_timeout: LockTimeoutOption = None,
                     statement_timeout: StatementTimeoutOption = None, dsn: DsnOption = None) -> None:
    """Drop chunks older than --after (add, or replace the current policy), or --remove it."""
    _policy(ctx, "retention", relation, after, remove, ActionFlags(yes, dry_run, lock_timeout, statement_timeout),
            dsn)


@policy_app.command("compression")
def policy_compression(ctx: typer.Context, relation: Relation, after: AfterOption = None,
                       remove: RemoveOption = False, yes: YesOption = False, dry_run: DryRunOption = False,
                       lock_timeout: LockTimeoutOption = None, statement_timeout: StatementTimeoutOption = None,
                       dsn: DsnOption = None) -> None:
    """Compress chunks older than --after (add, or replace the current policy), or --remove it."""
    _policy(ctx, "compression", relation, after, remove, ActionFlags(yes, dry_run, lock_timeout, statement_timeout),
            dsn)
