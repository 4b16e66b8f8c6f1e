"""What a shell calls to show and apply migrations on an open connection: status, the dry-run plan, and the one
lint → apply workflow both `obsconsole migrate` and the console's Migrations screen run, each loading the folder
once and applying under migrate's own timeouts."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from console.infra.db import Conn, Timeouts, session_timeouts
from console.migrator import files, runner
from console.migrator.preflight import LintCheck, LintRefused, lint_on
from console.migrator.runner import MIGRATION_TIMEOUTS, MigrateResult, MigrationStatus, migrate_on, status_on

__all__ = ["LintCheck", "LintRefused", "MigrateResult", "MigrationStatus", "apply", "plan", "status"]


def status(conn: Conn, directory: Path) -> list[MigrationStatus]:
    """Every migration in `directory` and the ledger: applied / pending / failed, checksums."""
    return status_on(conn, files.load(directory))


def plan(conn: Conn, directory: Path, *, read_only: bool = False) -> MigrateResult:
    """What `migrate` would apply, after every refusal it would make (ConsoleError): the write gate's too."""
    return migrate_on(conn, files.load(directory), dry_run=True, read_only=read_only)


def apply(conn: Conn, directory: Path, progress: Callable[[str], None], *, override: str, to: int | None = None,
          force: bool = False, read_only: bool = False, timeouts: Timeouts = MIGRATION_TIMEOUTS,
          lock_wait_s: float = 300.0, linted: Callable[[LintCheck], None] = lambda _checked: None) -> MigrateResult:
    """Lint → apply: the write gate, then the lint preflight (an error-level finding in a pending file refuses
    with LintRefused, `override` saying how to apply anyway, unless `force`; `linted` hears the findings of a run
    that goes on), then the pending migrations under migrate's lock and statement timeouts, reporting progress."""
    local = files.load(directory)
    runner.require_gate(conn, local, to, dry_run=False, read_only=read_only)
    checked = lint_on(conn, local, to)[0]
    refusal = checked.refusal(override)
    if refusal and not force:
        raise LintRefused(refusal, checked)
    linted(checked)
    with session_timeouts(conn, timeouts):
        return migrate_on(conn, local, to=to, progress=progress, lock_wait_s=lock_wait_s, read_only=read_only)
