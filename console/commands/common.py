"""The typer app every command module registers with, and the options they share."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from console import __version__

if TYPE_CHECKING:
    from console.actions.plan import Request

app = typer.Typer(
    help="Operator console for the LLM Observatory TimescaleDB storage layer.",
    no_args_is_help=False,
    pretty_exceptions_enable=False,
    add_completion=False,
)

DsnOption = Annotated[
    str | None,
    typer.Option(
        "--dsn",
        help="PostgreSQL DSN (URL or key=value). Default: $OBSCONSOLE_DSN, $DATABASE_URL, then libpq's PG* env.",
        show_default=False,
    ),
]
DirOption = Annotated[
    Path | None,
    typer.Option("--dir", help="Migrations folder (default: the ones shipped with obsconsole).", show_default=False),
]
UnusedDsnOption = Annotated[
    str | None,
    typer.Option("--dsn", help="Accepted here as by every command (scripts pass it to all); this one connects to no "
                 "database it names.", show_default=False),
]
KindOption = Annotated[str, typer.Option("--kind", help="Engine kind: tsl (Community, WASM) or native (Apache).")]
YesOption = Annotated[bool, typer.Option("--yes", help="Do not ask for confirmation (needed without a terminal).")]
DryRunOption = Annotated[bool, typer.Option("--dry-run", help="Print the SQL and what it touches; change nothing.")]
LockTimeoutOption = Annotated[str | None, typer.Option(
    "--lock-timeout", help="Longest wait for a lock, e.g. 200ms, 5s (default 5s; 2s for the reads that plan the "
    "action): a longer wait fails the action (exit 1; one run in a transaction is rolled back), or refuses it while "
    "planning (exit 2).",
    show_default=False)]
StatementTimeoutOption = Annotated[str | None, typer.Option(
    "--statement-timeout", help="Longest run of one of the action's statements, e.g. 30s, 10min (default 60s; "
    "10min for a job run, a refresh or compression): a longer one is cancelled (exit 1).", show_default=False)]


@dataclass(frozen=True)
class ActionFlags:
    """The options every operator action command takes."""

    yes: bool = False
    dry_run: bool = False
    lock_timeout: str | None = None
    statement_timeout: str | None = None


def _version(value: bool) -> None:
    if value:
        typer.echo(f"obsconsole {__version__}")
        raise typer.Exit()


@app.callback(invoke_without_command=True)
def root(
    ctx: typer.Context,
    dsn: DsnOption = None,
    refresh: Annotated[float, typer.Option("--refresh", min=1, max=60, help="Dashboard refresh (s).")] = 5.0,
    read_only: Annotated[
        bool, typer.Option("--read-only", envvar="OBSCONSOLE_READ_ONLY",
                           help="Refuse every operator action (CLI), hide them (console).")
    ] = False,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version and exit.")
    ] = False,
    record: Annotated[
        Path | None, typer.Option("--record", help="Console: also record each refresh into FILE (see `record`).",
                                  show_default=False)
    ] = None,
) -> None:
    """Operator console for the LLM Observatory TimescaleDB storage layer. With no command: open the console
    (dashboard, migrations, verify, jobs) on the database."""
    import os

    from console.infra import dsn as dsn_mod

    dsn_mod.set_global_flag(dsn)
    if read_only:  # one switch for every layer: the write gate reads it (console.infra.write_gate)
        os.environ["OBSCONSOLE_READ_ONLY"] = "1"
    if ctx.invoked_subcommand is None:
        from console.commands.launch import console_shell

        console_shell(ctx).run_console(dsn_mod.resolve(dsn), refresh_s=refresh, read_only=read_only, record=record)


def group(name: str, help_text: str) -> typer.Typer:
    """A command group (`obsconsole job …`) registered with the app. It takes `--dsn` between its name and the
    command (`obsconsole job --dsn X run 7`) as if given before it."""
    sub = typer.Typer(help=help_text, no_args_is_help=True, callback=_group_dsn)
    app.add_typer(sub, name=name)
    return sub


def _group_dsn(dsn: DsnOption = None) -> None:
    if dsn:
        from console.infra import dsn as dsn_mod

        dsn_mod.set_global_flag(dsn)


def run_action(ctx: typer.Context, dsn: str | None, request: Request, flags: ActionFlags) -> None:
    """The CLI's side of every operator action (console.actions.workflow): refuse in read-only mode, show the plan
    (under --lock-timeout / --statement-timeout where given), --dry-run stops there, confirm (default No; --yes
    without a terminal), run, one line. Every step is audited."""
    import sys
    from collections.abc import Callable
    from typing import TypeVar

    from console.actions import gate, workflow
    from console.actions.plan import Plan
    from console.commands.render import actions as render
    from console.commands.render.wrap import fold, width
    from console.infra import dsn as dsn_mod
    from console.infra.db import DEFAULT_TIMEOUTS, Conn, Timeouts, connect
    from console.infra.durations import parse_ms
    from console.infra.errors import ConsoleError
    from console.infra.fmt import printable
    from console.infra.server import ServerInfo, server_info
    from console.infra.write_gate import read_only_mode

    lock_ms = parse_ms(flags.lock_timeout, "--lock-timeout") if flags.lock_timeout else None
    statement_ms = parse_ms(flags.statement_timeout, "--statement-timeout") if flags.statement_timeout else None
    target = dsn_mod.resolve(dsn)
    if read_only_mode():
        raise gate.refuse_read_only(target, request)
    reading = Timeouts(DEFAULT_TIMEOUTS.statement_ms, lock_ms or DEFAULT_TIMEOUTS.lock_ms)
    T = TypeVar("T")

    def confirm(plan: Plan) -> str | None:
        render.print_plan(plan)
        if flags.dry_run:
            return workflow.DRY_RUN
        if plan.statements and not flags.yes:
            if not sys.stdin.isatty():
                return workflow.NO_CONFIRMATION
            if not typer.confirm(printable(f"Run {plan.action}?"), default=False):
                return workflow.CANCELLED
        return None

    with connect(target, timeouts=reading) as conn:
        info = server_info(conn)

        def call(step: Callable[[Conn, ServerInfo], T]) -> T:
            return step(conn, info)

        outcome = workflow.run_action(call, target, request, confirm, statement_ms=statement_ms, lock_ms=lock_ms)
    action = outcome.plan.action
    if outcome.unaudited is not None:
        raise outcome.unaudited
    if outcome.declined == workflow.DRY_RUN:
        typer.echo("\n".join(fold(printable(f"dry run: {action} not run"), width())))
    elif outcome.declined == workflow.NO_CONFIRMATION:
        raise ConsoleError(f"{action} needs confirmation: pass --yes when not on a terminal")
    elif outcome.declined == workflow.CANCELLED:
        raise ConsoleError(f"{action} cancelled: nothing was done")
    else:
        typer.echo("\n".join(fold(printable(outcome.message), width())))
