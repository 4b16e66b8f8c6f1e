"""Before `migrate --dry-run` says what it would do: lint the folder (console/migrator/preflight.py), then
rehearse the pending migrations on a scratch engine (the applied ones replayed first, psql-style) and say what
would fail: file, line, statement, message."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import psycopg

from console.drift.replay import StatementFailure, run_like_psql
from console.drift.service import describe, scratch
from console.infra.db import DEFAULT_TIMEOUTS, Timeouts, connect
from console.infra.dsn import ResolvedDsn
from console.infra.errors import ConsoleError, server_words
from console.infra.server import server_info
from console.migrator import files, ledger, runner
from console.migrator.files import MigrationFile
from console.migrator.preflight import LintCheck, lint_on


@dataclass(frozen=True)
class Rehearsal:
    """What applying the pending migrations did on a scratch engine (or why it could not run)."""

    engine: str = ""
    skipped: str = ""
    replay_failures: list[StatementFailure] = field(default_factory=list)
    would_apply: list[str] = field(default_factory=list)
    failure: str = ""

    @property
    def ok(self) -> bool:
        return not self.failure


@dataclass(frozen=True)
class Preflight(LintCheck):
    """The lint findings for a folder against a target, and the rehearsal when one was asked for."""

    rehearsal: Rehearsal | None = None


def preflight(target: ResolvedDsn, *, directory: Path, to: int | None = None,
              timeouts: Timeouts = DEFAULT_TIMEOUTS) -> Preflight:
    """What `migrate --dry-run` checks: lint `directory` for `target` (read-only: its ledger and hypertable row
    estimates), then rehearse the pending migrations on a scratch engine."""
    local = files.load(directory)
    with connect(target, timeouts=timeouts) as conn:
        runner.require_gate(conn, local, to, dry_run=True)  # before the ledger is read, as migrate does
        result, applied = lint_on(conn, local, to)
    if not result.pending:
        return Preflight(result.findings, result.pending)
    return Preflight(result.findings, result.pending, rehearsal([m for m in local if m.version in applied], local, to))


def rehearsal(applied: list[MigrationFile], local: list[MigrationFile], to: int | None) -> Rehearsal:
    """Replay `applied` psql-style on a scratch engine, record them in its ledger, then run the real runner on
    it for the pending ones. Without an embedded engine: a Rehearsal saying so (the plan stands alone)."""
    try:
        with scratch() as conn:
            engine = describe(server_info(conn))
            replay_failures = [f for m in applied for f in run_like_psql(conn, m)]
            ledger.create(conn)
            for m in applied:
                ledger.insert(conn, m.version, m.description, m.checksum)
            try:
                done = runner.migrate_on(conn, local, to=to, lock_wait_s=5.0)
            except (runner.MigrationFailed, runner.MigrationRefused) as exc:
                applied_ok = [_applies(a) for a in getattr(exc, "applied", [])]
                return Rehearsal(engine, "", replay_failures, applied_ok, runner.without_undo(exc.message))
            except psycopg.Error as exc:  # whatever the runner did not foresee: said, never a crash
                message = server_words(exc)
                return Rehearsal(engine, "", replay_failures, [], f"the runner stopped: {message}")
            return Rehearsal(engine, "", replay_failures, [_applies(a) for a in done.applied])
    except ConsoleError as exc:
        return Rehearsal(skipped=f"{exc.message}; the plan alone follows")



def _applies(done: runner.AppliedMigration) -> str:
    """'008 name', and how a file's own COMMIT shapes its ledger row."""
    name = f"{done.version:03d} {done.description}"
    if done.own_commit is None:
        return name
    return (f"{name} (its own COMMIT at line {done.own_commit} ends the transaction; the ledger row is written "
            "right after it, as sqlx does)")
