"""The `obsconsole` command line. Commands parse flags, call a service and print its result;
heavy modules (Textual, SQLAlchemy, the services) are imported inside the commands so `--help` stays fast."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from console import __version__
from console.errors import ConsoleError

app = typer.Typer(
    help="Operator console for the LLM Observatory TimescaleDB storage layer.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
engine_app = typer.Typer(help="Start, stop and inspect a throwaway TimescaleDB engine.", no_args_is_help=True)
app.add_typer(engine_app, name="engine")

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


@app.callback()
def root(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version and exit.")
    ] = False,
) -> None:
    """Operator console for the LLM Observatory TimescaleDB storage layer."""


@app.command()
def doctor(dsn: DsnOption = None) -> None:
    """Connect and report the server, TimescaleDB version and edition, and what the console can show."""
    from console import dsn as dsn_mod
    from console.render import doctor as render
    from console.services.doctor import diagnose, require_timescaledb

    report = diagnose(dsn_mod.resolve(dsn))
    render.print_report(report)
    require_timescaledb(report)


@app.command()
def migrate(
    dsn: DsnOption = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Show the plan; change nothing.")] = False,
    to: Annotated[int | None, typer.Option("--to", min=1, help="Apply pending migrations up to this version.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the result as JSON.")] = False,
    statement_timeout: Annotated[str, typer.Option(help="Per-statement limit.")] = "10min",
    lock_timeout: Annotated[str, typer.Option(help="Longest wait for a table lock.")] = "5s",
    lock_wait: Annotated[str, typer.Option(help="Longest wait for another migrate to finish.")] = "5min",
    directory: DirOption = None,
) -> None:
    """Apply pending migrations, one transaction each, under sqlx's lock and ledger."""
    from console import dsn as dsn_mod
    from console.db import Timeouts
    from console.durations import parse_ms
    from console.migrator import runner
    from console.render import migrations as render
    from console.resources import MIGRATIONS_DIR

    timeouts = Timeouts(parse_ms(statement_timeout, "--statement-timeout"), parse_ms(lock_timeout, "--lock-timeout"))
    wait_s = parse_ms(lock_wait, "--lock-wait") / 1000
    progress = (lambda _msg: None) if as_json else (lambda msg: typer.echo(msg, err=True))
    try:
        result = runner.migrate(
            dsn_mod.resolve(dsn), directory=directory or MIGRATIONS_DIR, to=to, dry_run=dry_run,
            timeouts=timeouts, lock_wait_s=wait_s, progress=progress,
        )
    except runner.MigrationRefused as exc:
        if as_json:
            render.print_json({"outcome": "refused", "error": exc.message, "applied": []})
        raise
    except runner.MigrationFailed as exc:
        if as_json:
            render.print_json({"outcome": "failed", "error": exc.message, "applied": exc.applied})
        raise
    if as_json:
        render.print_json(render.result_dict(result))
    else:
        render.print_result(result)


@app.command()
def status(
    dsn: DsnOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the result as JSON.")] = False,
    directory: DirOption = None,
) -> None:
    """Every migration: applied or pending, when, how long, checksum ok or DRIFTED. Exit 1 on drift or a
    ledger problem."""
    from console import dsn as dsn_mod
    from console.migrator import runner
    from console.render import migrations as render
    from console.resources import MIGRATIONS_DIR

    rows = runner.status(dsn_mod.resolve(dsn), directory or MIGRATIONS_DIR)
    if as_json:
        render.print_json({"migrations": rows})
    else:
        render.print_status(rows)
    if any(r.checksum == "DRIFTED" or r.state in {"failed", "missing file"} for r in rows):
        raise typer.Exit(1)


@engine_app.command("start")
def engine_start(
    kind: KindOption = "tsl",
    data_dir: Annotated[Path | None, typer.Option("--data-dir", help="Keep the data here.")] = None,
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
def engine_stop(kind: KindOption = "tsl") -> None:
    """Stop the engine `engine start` left running, leaving no process behind."""
    from console.engines import registry

    _check_kind(kind)
    record = registry.load(kind)
    if record is None:
        raise ConsoleError(f"no {kind} engine was started with `obsconsole engine start`")
    record.engine().stop()
    registry.forget(kind)
    typer.echo(f"{kind} engine stopped (pid {record.pid})")


@engine_app.command("status")
def engine_status(kind: KindOption = "tsl") -> None:
    """Say whether the engine is running, and its DSN with the password masked. Exit 1 if not running."""
    from console.dsn import mask
    from console.engines import registry

    _check_kind(kind)
    record = registry.load(kind)
    if record is None or not record.running:
        typer.echo(f"{kind} engine: not running")
        raise typer.Exit(1)
    typer.echo(f"{kind} engine: running, pid {record.pid}, {mask(record.dsn)}")


def _check_kind(kind: str) -> None:
    from console.engines import KINDS

    if kind not in KINDS:
        raise ConsoleError(f"unknown engine kind {kind!r}: choose one of {', '.join(KINDS)}")


def main() -> None:
    """Entry point: run the app; expected failures become one line on stderr and their exit code."""
    try:
        app()
    except ConsoleError as exc:
        typer.echo(f"obsconsole: {exc.message}", err=True)
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        typer.echo("obsconsole: interrupted", err=True)
        sys.exit(130)
