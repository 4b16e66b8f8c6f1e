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
        from console.tui.run import run_console
        from console.tui.settings import ConsoleSettings

        run_console(ConsoleSettings.load(dsn_mod.resolve(dsn), refresh_s=refresh, read_only=read_only), record=record)


def run_action(ctx: typer.Context, dsn: str | None, request: Request, flags: ActionFlags) -> None:
    """The CLI's side of every operator action: refuse in read-only mode, show the plan (under --lock-timeout /
    --statement-timeout where given), --dry-run stops there, confirm (default No; --yes without a terminal), run,
    one line. Every step is audited."""
    import sys

    from console.actions import gate
    from console.commands.render import actions as render
    from console.infra import dsn as dsn_mod
    from console.infra.db import DEFAULT_TIMEOUTS, Timeouts, connect
    from console.infra.durations import parse_ms
    from console.infra.errors import ConsoleError
    from console.infra.fmt import printable
    from console.infra.server import server_info
    from console.infra.write_gate import read_only_mode

    lock_ms = parse_ms(flags.lock_timeout, "--lock-timeout") if flags.lock_timeout else None
    statement_ms = parse_ms(flags.statement_timeout, "--statement-timeout") if flags.statement_timeout else None
    target = dsn_mod.resolve(dsn)
    if read_only_mode():
        raise gate.refuse_read_only(target, request)
    reading = Timeouts(DEFAULT_TIMEOUTS.statement_ms, lock_ms or DEFAULT_TIMEOUTS.lock_ms)
    with connect(target, timeouts=reading) as conn:
        plan = gate.prepare(conn, server_info(conn), target, request).limited(statement_ms, lock_ms)
        render.print_plan(plan)
        if flags.dry_run:
            gate.not_run(target, plan, "dry run: nothing changed")
            typer.echo(printable(f"dry run: {plan.action} not run"))
            return
        if plan.statements and not flags.yes:
            if not sys.stdin.isatty():
                gate.not_run(target, plan, "refused: no confirmation (no terminal and no --yes)")
                raise ConsoleError(f"{plan.action} needs confirmation: pass --yes when not on a terminal")
            if not typer.confirm(printable(f"Run {plan.action}?"), default=False):
                gate.not_run(target, plan, "cancelled")
                raise ConsoleError(f"{plan.action} cancelled: nothing was done")
        message = gate.execute(conn, target, plan)
    typer.echo(printable(message))
