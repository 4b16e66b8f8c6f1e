"""Before `migrate` touches the database: lint the folder, then rehearse the pending migrations on a scratch
engine (the applied ones replayed first, psql-style) and say what would fail: file, line, statement, message."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import psycopg

from console.drift.replay import StatementFailure, run_like_psql
from console.drift.service import describe, scratch
from console.infra.db import DEFAULT_TIMEOUTS, Conn, Timeouts, connect
from console.infra.dsn import ResolvedDsn
from console.infra.errors import ConsoleError
from console.infra.queries import query
from console.infra.server import server_info
from console.migrator import files, ledger, lint, runner
from console.migrator.files import MigrationFile


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
class Preflight:
    """The lint findings for a folder against a target, and the rehearsal when one was asked for."""

    findings: list[lint.Finding]
    pending: list[str]
    rehearsal: Rehearsal | None = None

    @property
    def blocking(self) -> list[lint.Finding]:
        """Error-level findings in files that would run now."""
        return [f for f in lint.errors(self.findings) if f.file in self.pending]

    def refusal(self, override: str) -> str | None:
        """Why applying is refused (the first error-level finding, and `override`: how to apply anyway), or None."""
        if not self.blocking:
            return None
        first = self.blocking[0]
        return (f"lint {first.code} at {first.where}: {first.message} ({len(self.blocking)} error-level "
                f"finding(s) in pending files; `migrate --dry-run` lists them, {override}); nothing was applied")


def preflight(target: ResolvedDsn, *, directory: Path, to: int | None = None, rehearse: bool = False,
              timeouts: Timeouts = DEFAULT_TIMEOUTS) -> Preflight:
    """Lint `directory` for `target` (read-only: its ledger and hypertable row estimates) and, with
    `rehearse`, rehearse the pending migrations on a scratch engine."""
    local = files.load(directory)
    with connect(target, timeouts=timeouts) as conn:
        runner.require_gate(conn, local, to, dry_run=rehearse)  # before the ledger is read, as migrate does
        result, applied = _lint(conn, local, to)
    if not rehearse or not result.pending:
        return result
    return Preflight(result.findings, result.pending, rehearsal([m for m in local if m.version in applied], local, to))


def lint_pending(conn: Conn, directory: Path, to: int | None = None, *, read_only: bool = False) -> Preflight:
    """Lint `directory` on an open connection (the console's), after the write gate: what `migrate` checks before
    it applies."""
    local = files.load(directory)
    runner.require_gate(conn, local, to, dry_run=False, read_only=read_only)
    return _lint(conn, local, to)[0]


def _lint(conn: Conn, local: list[MigrationFile], to: int | None) -> tuple[Preflight, set[int]]:
    """The findings, and the versions the target's ledger has applied."""
    info = server_info(conn)
    applied = {v for v, row in ledger.rows(conn).items() if row.success}
    rows: dict[str, int] = {}
    if info.timescaledb_installed is not None:
        try:
            rows = {str(name): int(str(n)) for name, n in conn.execute(query("drift/hypertable_rows"))}
        except psycopg.Error:  # e.g. TimescaleDB outside the search_path: the preflight says so, lint goes on
            rows = {}
    pending = [m for m in local if m.version not in applied and (to is None or m.version <= to)]
    findings = lint.lint(local, hypertable_rows=rows, pending={m.version for m in pending})
    return Preflight(findings, [m.label for m in pending]), applied


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
                message = (exc.diag.message_primary or str(exc)).strip().splitlines()[0]
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
