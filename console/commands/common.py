"""The typer app every command module registers with, and the options they share."""

from __future__ import annotations

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
) -> None:
    """Operator console for the LLM Observatory TimescaleDB storage layer. With no command: open the console
    (dashboard, migrations, verify, jobs) on the database."""
    from console.infra import dsn as dsn_mod

    dsn_mod.set_global_flag(dsn)
    if ctx.invoked_subcommand is None:
        from console.tui.run import run_console

        run_console(dsn_mod.resolve(dsn), refresh_s=refresh, read_only=read_only)


def read_only_mode(ctx: typer.Context) -> bool:
    """Whether the root `--read-only` flag (or OBSCONSOLE_READ_ONLY=1) is set."""
    return bool(ctx.find_root().params.get("read_only"))


def run_action(ctx: typer.Context, dsn: str | None, request: Request, *, yes: bool, dry_run: bool) -> None:
    """The CLI's side of every operator action: refuse in read-only mode, show the plan, --dry-run stops there,
    confirm (default No; --yes without a terminal), run, one line. Every step is audited."""
    import sys

    from console.actions import gate
    from console.commands.render import actions as render
    from console.infra import dsn as dsn_mod
    from console.infra.db import connect
    from console.infra.errors import ConsoleError
    from console.infra.server import server_info

    target = dsn_mod.resolve(dsn)
    if read_only_mode(ctx):
        raise gate.refuse_read_only(target, request)
    with connect(target) as conn:
        plan = gate.prepare(conn, server_info(conn), target, request)
        render.print_plan(plan)
        if dry_run:
            gate.not_run(target, plan, "dry run: nothing changed")
            typer.echo(f"dry run: {plan.action} not run")
            return
        if plan.statements and not yes:
            if not sys.stdin.isatty():
                gate.not_run(target, plan, "refused: no confirmation (no terminal and no --yes)")
                raise ConsoleError(f"{plan.action} needs confirmation: pass --yes when not on a terminal")
            if not typer.confirm(f"Run {plan.action}?", default=False):
                gate.not_run(target, plan, "cancelled")
                raise ConsoleError(f"{plan.action} cancelled: nothing was done")
        message = gate.execute(conn, target, plan)
    typer.echo(message)
