"""What a shell calls to show and apply migrations on an open connection: status, the dry-run plan and apply,
each loading the folder once and applying under migrate's own timeouts (the TUI's Migrations screen)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from console.infra.db import Conn, session_timeouts
from console.migrator import files
from console.migrator.runner import MIGRATION_TIMEOUTS, MigrateResult, MigrationStatus, migrate_on, status_on

__all__ = ["MigrateResult", "MigrationStatus", "apply", "plan", "status"]


def status(conn: Conn, directory: Path) -> list[MigrationStatus]:
    """Every migration in `directory` and the ledger: applied / pending / failed, checksums."""
    return status_on(conn, files.load(directory))


def plan(conn: Conn, directory: Path, *, read_only: bool = False) -> MigrateResult:
    """What `migrate` would apply, after every refusal it would make (ConsoleError): the write gate's too."""
    return migrate_on(conn, files.load(directory), dry_run=True, read_only=read_only)


def apply(conn: Conn, directory: Path, progress: Callable[[str], None], *, read_only: bool = False) -> MigrateResult:
    """Apply the pending migrations (after the write gate) under migrate's lock and statement timeouts, reporting
    progress."""
    local = files.load(directory)
    with session_timeouts(conn, MIGRATION_TIMEOUTS):
        return migrate_on(conn, local, progress=progress, read_only=read_only)
