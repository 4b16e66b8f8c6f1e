"""`obsconsole engine start|stop|status`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from console.commands.common import KindOption, UnusedDsnOption, group
from console.infra.errors import ConsoleError

engine_app = group("engine", "Start, stop and inspect a throwaway TimescaleDB engine.")


@engine_app.command("start")
def engine_start(
    kind: KindOption = "tsl",
    data_dir: Annotated[Path | None, typer.Option("--data-dir", help="Keep the data here.")] = None,
    _dsn: UnusedDsnOption = None,
) -> None:
    """Start an engine in the background and print its DSN (stdout) for OBSCONSOLE_DSN."""
    from console import engines
    from console.engines import registry

    _check_kind(kind)
    existing = registry.load(kind)
    if existing is not None and existing.running:
        raise ConsoleError(f"a {kind} engine is already running (pid {existing.pid}); stop it first")
    engine = engines.start(kind, data_dir, detached=True)
    registry.save(engine)
    typer.echo(f"{kind} engine running, pid {engine.pid}: {engine.masked_dsn}", err=True)
    typer.echo(engine.dsn)


@engine_app.command("stop")
def engine_stop(kind: KindOption = "tsl", _dsn: UnusedDsnOption = None) -> None:
    """Stop the engine `engine start` left running, leaving no process behind. Only a process proven to be that
    engine is signalled (its start time and command line as recorded); one that died is cleaned up after."""
    from console.engines import registry

    _check_kind(kind)
    record = registry.load(kind)
    if record is None:
        raise ConsoleError(f"no {kind} engine was started with `obsconsole engine start`")
    if record.gone:
        record.engine().remove_files()
        registry.forget(kind)
        typer.echo(f"{kind} engine was not running (pid {record.pid} gone): its files are removed")
        return
    problem = record.unproven()
    if problem is not None:
        raise ConsoleError(f"{kind} engine not stopped: {problem}; nothing was signalled or deleted (the state file "
                           f"{registry.state_dir() / (kind + '.json')} is stale: remove it)")
    record.engine().stop()
    registry.forget(kind)
    typer.echo(f"{kind} engine stopped (pid {record.pid})")


@engine_app.command("status")
def engine_status(kind: KindOption = "tsl", _dsn: UnusedDsnOption = None) -> None:
    """Say whether the engine is running, and its DSN with the password masked. Exit 1 if not running."""
    from console.engines import registry
    from console.infra.dsn import mask

    _check_kind(kind)
    record = registry.load(kind)
    problem = None if record is None else record.unproven()
    if record is None or problem is not None:
        typer.echo(f"{kind} engine: not running" + (f" ({problem})" if problem else ""))
        raise typer.Exit(1)
    typer.echo(f"{kind} engine: running, pid {record.pid}, {mask(record.dsn)}")


def _check_kind(kind: str) -> None:
    from console.engines import KINDS

    if kind not in KINDS:
        raise ConsoleError(f"unknown engine kind {kind!r}: choose one of {', '.join(KINDS)}")
