"""`obsconsole migrate` and `obsconsole status`."""

from __future__ import annotations

from typing import Annotated

import typer

from console.commands.common import DirOption, DsnOption, app


@app.command()
def migrate(
    dsn: DsnOption = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Show the plan; change nothing.")] = False,
    to: Annotated[int | None, typer.Option("--to", help="Apply pending migrations up to this version.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the result as JSON.")] = False,
    statement_timeout: Annotated[str, typer.Option(help="Per-statement limit.")] = "10min",
    lock_timeout: Annotated[str, typer.Option(help="Longest wait for a table lock.")] = "5s",
    lock_wait: Annotated[str, typer.Option(help="Longest wait for another migrate to finish.")] = "5min",
    directory: DirOption = None,
    force: Annotated[bool, typer.Option("--force", help="Apply despite error-level lint findings.")] = False,
) -> None:
    """Apply pending migrations, one transaction each, under sqlx's lock and ledger. The folder is linted
    first (an error-level finding refuses unless --force); --dry-run also rehearses on a scratch engine."""
    from console.commands.render import migrations as render
    from console.commands.render import preflight as render_pre
    from console.drift.rehearsal import Preflight, preflight
    from console.infra import dsn as dsn_mod
    from console.infra.db import Timeouts, connect
    from console.infra.durations import parse_ms
    from console.infra.fmt import printable
    from console.infra.resources import MIGRATIONS_DIR
    from console.migrator import runner
    from console.migrator import service as migrations

    timeouts = Timeouts(parse_ms(statement_timeout, "--statement-timeout"), parse_ms(lock_timeout, "--lock-timeout"))
    wait_s = parse_ms(lock_wait, "--lock-wait") / 1000
    progress = (lambda _msg: None) if as_json else (lambda msg: typer.echo(printable(msg), err=True))
    target, folder = dsn_mod.resolve(dsn), directory or MIGRATIONS_DIR
    checked: migrations.LintCheck | None = None
    try:
        if dry_run:
            result = runner.migrate(target, directory=folder, to=to, dry_run=True, timeouts=timeouts,
                                    lock_wait_s=wait_s, progress=progress)
            checked = preflight(target, directory=folder, to=to)
        else:
            def linted(found: migrations.LintCheck) -> None:
                nonlocal checked
                checked = found
                if not as_json:
                    render_pre.print_lock_warnings(found)

            with connect(target, timeouts=timeouts) as conn:
                result = migrations.apply(conn, folder, progress, override="--force applies anyway", to=to,
                                          force=force, timeouts=timeouts, lock_wait_s=wait_s, linted=linted)
    except runner.MigrationRefused as exc:
        if isinstance(exc, migrations.LintRefused):
            checked = exc.checked
        if as_json:
            render.print_json({"outcome": "refused", "error": exc.message, "applied": []}
                              | (render_pre.as_dict(checked) if checked else {}))
        raise
    except runner.MigrationFailed as exc:
        if as_json:
            render.print_json({"outcome": "failed", "error": exc.message, "applied": exc.applied})
        raise
    if as_json:
        render.print_json(render.result_dict(result) | (render_pre.as_dict(checked) if checked else {}))
    else:
        render.print_result(result)
        if isinstance(checked, Preflight):
            render_pre.print_findings(checked)
            render_pre.print_rehearsal(checked)
    if isinstance(checked, Preflight) and (checked.blocking or (checked.rehearsal and not checked.rehearsal.ok)):
        raise typer.Exit(1)


@app.command()
def status(
    dsn: DsnOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the result as JSON.")] = False,
    directory: DirOption = None,
) -> None:
    """Every migration: applied or pending, when, how long, checksum ok or DRIFTED (exit 1 on drift)."""
    from console.commands.render import migrations as render
    from console.infra import dsn as dsn_mod
    from console.infra.resources import MIGRATIONS_DIR
    from console.migrator import runner

    rows = runner.status(dsn_mod.resolve(dsn), directory or MIGRATIONS_DIR)
    if as_json:
        render.print_json({"migrations": rows})
    else:
        render.print_status(rows)
    if any(r.checksum == "DRIFTED" or r.state in {"failed", "missing file"} for r in rows):
        raise typer.Exit(1)
