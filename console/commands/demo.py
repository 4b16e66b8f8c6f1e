"""`obsconsole demo`."""

from __future__ import annotations

from typing import Annotated

import typer

from console.commands.common import UnusedDsnOption, app


@app.command()
def demo(
    ctx: typer.Context,
    engine: Annotated[str, typer.Option("--engine", help="tsl (Community: every pane) or native (Apache).")] = "tsl",
    keep: Annotated[bool, typer.Option("--keep", help="Leave the engine running on exit and print its DSN.")] = False,
    days: Annotated[int, typer.Option("--days", min=1, max=60, help="Days of traffic to seed.")] = 10,
    refresh: Annotated[float, typer.Option("--refresh", min=1, max=60, help="Dashboard refresh (s).")] = 5.0,
    _dsn: UnusedDsnOption = None,
) -> None:
    """Start an embedded engine, migrate, seed traffic (with progress), open the console; stop the engine on
    exit unless --keep."""
    from console.commands.launch import console_shell
    from console.commands.render.seed import RichReporter
    from console.demo import prepare
    from console.engines import KINDS, registry
    from console.infra.errors import ConsoleError

    if engine not in KINDS:
        raise ConsoleError(f"unknown engine {engine!r}: choose one of {', '.join(KINDS)}")
    shell = console_shell(ctx)
    shell.check_settings()  # a bad keymap is refused before an engine starts
    ready = prepare(engine, days=days, progress=lambda m: typer.echo(m, err=True), reporter=RichReporter(), keep=keep)
    try:
        shell.run_console(ready.target, refresh_s=refresh)
    finally:
        if keep:
            registry.save(ready.engine)
            typer.echo(f"{engine} engine kept running (stop it with `obsconsole engine stop --kind {engine}`):",
                       err=True)
            typer.echo(ready.engine.dsn)
        else:
            ready.engine.stop()
            typer.echo(f"{engine} engine stopped", err=True)
