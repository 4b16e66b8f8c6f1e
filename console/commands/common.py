"""The typer app every command module registers with, and the options they share."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from console import __version__

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



def _version(value: bool) -> None:
    if value:
        typer.echo(f"obsconsole {__version__}")
        raise typer.Exit()


@app.callback(invoke_without_command=True)
def root(
    ctx: typer.Context,
    dsn: DsnOption = None,
    refresh: Annotated[float, typer.Option("--refresh", min=1, max=60, help="Dashboard refresh (s).")] = 5.0,
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

        run_console(dsn_mod.resolve(dsn), refresh_s=refresh)
