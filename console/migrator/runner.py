"""`obsconsole migrate` and `obsconsole status`: plan, preflight, lock, apply one migration per transaction.

Safer than sqlx where sqlx is weak: every refusal (drift, dirty ledger, missing file, missing extension,
Apache edition) happens before the first statement runs; the lock is a try-lock in a bounded loop released
on every path; each statement runs under lock_timeout/statement_timeout and a failure names file and line.
Statements are sent one by one inside the migration's transaction (same effect as sqlx's one multi-statement
query, but it can say which statement failed and never sends one huge message).
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import psycopg
from psycopg import errors as pgerrors

from console.infra import boundary, write_gate
from console.infra.db import IDLE, Conn, Timeouts, connect, outside_transaction, writable
from console.infra.dsn import ResolvedDsn
from console.infra.errors import EXIT_CANNOT_RUN, EXIT_FAILED, ConsoleError, privilege_problem, server_words
from console.infra.fmt import printable
from console.infra.queries import query
from console.infra.resources import MIGRATIONS_DIR
from console.infra.server import ServerInfo, server_info
from console.infra.sqltext import shown_query
from console.migrator import files, ledger
from console.migrator.drift import likely_cause
from console.migrator.features import community_features
from console.migrator.files import MigrationFile
from console.migrator.sqlsplit import Statement, strip_comments

Progress = Callable[[str], None]
# Defaults for migrations: long statements are allowed (index builds), lock waits are not.
MIGRATION_TIMEOUTS = Timeouts(statement_ms=600_000, lock_ms=5_000)


class MigrationRefused(ConsoleError):
    """Preflight said no: nothing was applied (exit 2)."""

    def __init__(self, message: str) -> None:
        super().__init__(message, EXIT_CANNOT_RUN)


class MigrationFailed(ConsoleError):
    """A migration failed and was rolled back whole; earlier ones in this run stay applied (exit 1)."""

    def __init__(self, message: str, applied: list[AppliedMigration]) -> None:
        super().__init__(message, EXIT_FAILED)
        self.applied = applied


@dataclass(frozen=True)
class AppliedMigration:
    """A migration this run applied and how long it took; `own_commit`: the line of the file's own COMMIT that
    ended the transaction (the ledger row was then written after it, as sqlx does), or None."""

    version: int
    description: str
    seconds: float
    own_commit: int | None = None


@dataclass(frozen=True)
class MigrationStatus:
    """One row of `obsconsole status`."""

    version: int
    description: str
    file: str | None
    state: str  # applied | pending | missing file | failed
    applied_at: datetime | None
    duration_ms: float | None
    checksum: str  # ok | DRIFTED | -
    drift_cause: str | None = None
    community_features: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class MigrateResult:
    """What `migrate` did (or, with dry_run, would do)."""

    dry_run: bool
    applied: list[AppliedMigration]
    pending: list[MigrationStatus]
    up_to_date: bool


def status(target: ResolvedDsn, directory: Path = MIGRATIONS_DIR) -> list[MigrationStatus]:
    """Every local migration and every ledger row: applied or pending, when, how long, checksum ok or DRIFTED."""
    local = files.load(directory)
    with connect(target) as conn:
        _require_extension(server_info(conn), then="")
        return status_on(conn, local)


def status_on(conn: Conn, local: list[MigrationFile]) -> list[MigrationStatus]:
    """`status` on an open connection."""
    return _statuses(local, ledger.rows(conn))


def migrate(
    target: ResolvedDsn,
    *,
    directory: Path = MIGRATIONS_DIR,
    to: int | None = None,
    dry_run: bool = False,
    timeouts: Timeouts = MIGRATION_TIMEOUTS,
    lock_wait_s: float = 300.0,
    progress: Progress = lambda _msg: None,
) -> MigrateResult:
    """Connect (writable unless dry_run) and apply pending migrations up to `to` (all by default).
    Raises MigrationRefused before anything is applied, MigrationFailed when a migration fails (it is rolled
    back whole)."""
    local = files.load(directory)
    _check_to(local, to)
    write_gate.refuse_read_only("migrate", dry_run=dry_run, nothing="applied")
    with connect(target, read_only=dry_run, timeouts=timeouts) as conn:
        return migrate_on(conn, local, to=to, dry_run=dry_run, lock_wait_s=lock_wait_s, progress=progress)


def migrate_on(
    conn: Conn,
    local: list[MigrationFile],
    *,
    to: int | None = None,
    dry_run: bool = False,
    lock_wait_s: float = 300.0,
    progress: Progress = lambda _msg: None,
    read_only: bool = False,
) -> MigrateResult:
    """`migrate` on an open connection (the TUI's Migrations screen uses its session's connection). The dry run
    passes the same write gate as the run (console.infra.write_gate): read-only mode (`read_only` for a console
    opened read-only), standby, pooler, read-only default and the privileges the pending files need."""
    _check_to(local, to)
    require_gate(conn, local, to, dry_run=dry_run, read_only=read_only)
    info = server_info(conn)
    _require_extension(info)
    _require_search_path(conn, info)
    if dry_run:
        return _plan(local, ledger.rows(conn), info, to, dry_run=True)
    try:
        with writable(conn):
            return _migrate_locked(conn, local, info, to, lock_wait_s, progress)
    except pgerrors.InsufficientPrivilege as exc:  # the ledger or the lock, before any migration ran
        problem = privilege_problem(exc.diag.message_primary or str(exc), query("ledger_create"), conn.info.user)
        raise MigrationRefused(f"migrate: {problem}; nothing was applied") from None


def _migrate_locked(conn: Conn, local: list[MigrationFile], info: ServerInfo, to: int | None, lock_wait_s: float,
                    progress: Progress) -> MigrateResult:
    with _migration_lock(conn, info.database, lock_wait_s, progress):
        if not ledger.exists(conn):  # CREATE TABLE IF NOT EXISTS would ask for CREATE on the schema even then
            ledger.create(conn)
        plan = _plan(local, ledger.rows(conn), info, to, dry_run=False)
        if plan.up_to_date:
            progress("nothing to apply: the database is up to date" + (f" (to {to})" if to else ""))
            return plan
        by_version = {m.version: m for m in local}
        applied: list[AppliedMigration] = []
        for item in plan.pending:
            applied.append(_apply(conn, by_version[item.version], progress, applied))
            boundary.note_done(f"applied {by_version[item.version].label}")  # an error after it: exit 1, says so
        return MigrateResult(False, applied, plan.pending, False)


def require_gate(conn: Conn, local: list[MigrationFile], to: int | None, *, dry_run: bool,
                 read_only: bool = False) -> None:
    """MigrationRefused (exit 2) where the write gate refuses migrate (or its dry run) on `conn`."""
    try:
        write_gate.require(conn, "migrate", _needs(conn, local, to), dry_run=dry_run, read_only=read_only,
                           nothing="applied")
    except ConsoleError as exc:
        raise MigrationRefused(exc.message) from None


_LEDGER = "_sqlx_migrations"
_CREATE_SCHEMA = re.compile(r"^\s*CREATE\s+SCHEMA\b", re.I)


def _needs(conn: Conn, local: list[MigrationFile], to: int | None) -> list[write_gate.Need]:
    """What applying the pending files asks of the role: reading and writing the ledger, CREATE on the schema
    they create their objects in (and on the ledger's, when it is missing), CREATE on the database for a
    CREATE SCHEMA. Asked before the ledger is read, so a role that may not read it gets the gate's line."""
    ledger_needs = [write_gate.Need("SELECT", "table", _LEDGER)]
    refused = write_gate.missing_privileges(conn, ledger_needs)
    if refused:
        return ledger_needs
    has_ledger = ledger.exists(conn)
    applied = ledger.rows(conn)
    pending = [m for m in local if m.version not in applied and (to is None or m.version <= to)]
    needs = [*ledger_needs, write_gate.Need("INSERT", "table", _LEDGER), write_gate.Need("UPDATE", "table", _LEDGER)]
    if pending or not has_ledger:
        needs.append(write_gate.Need("CREATE", "schema"))
    if any(_CREATE_SCHEMA.match(strip_comments(s.sql)) for m in pending for s in m.statements):
        needs.append(write_gate.Need("CREATE", "database"))
    return needs


def _check_to(local: list[MigrationFile], to: int | None) -> None:
    if to is not None and to not in {m.version for m in local}:
        raise MigrationRefused(f"--to {to}: no migration has that version (known: {_versions(local)})")


def _plan(
    local: list[MigrationFile], applied: dict[int, ledger.LedgerRow], info: ServerInfo, to: int | None, *, dry_run: bool
) -> MigrateResult:
    statuses = _statuses(local, applied)
    _preflight_ledger(statuses)
    pending = [s for s in statuses if s.state == "pending" and (to is None or s.version <= to)]
    _refuse_rollback(local, {s.version for s in pending})
    if not info.community:
        for item in pending:
            if item.community_features:
                earlier = [p.version for p in pending if p.version < item.version]
                hint = f"; `--to {earlier[-1]:03d}` applies what this server can run" if earlier else ""
                raise MigrationRefused(
                    f"{item.file} needs TimescaleDB Community features ({', '.join(item.community_features)}) "
                    f"and this server runs the {info.edition} edition (timescaledb.license={info.license}): "
                    f"nothing was applied{hint}"
                )
    return MigrateResult(dry_run, [], pending, not pending)


def _refuse_rollback(local: list[MigrationFile], pending: set[int]) -> None:
    """A pending file whose own ROLLBACK/ABORT would undo its changes while the ledger row (written after it, as
    sqlx does) recorded it as applied: refused before anything runs."""
    for migration in local:
        if migration.version not in pending or migration.no_transaction:
            continue
        for statement, word in migration.transaction_control:
            if word in ("ROLLBACK", "ABORT"):
                raise MigrationRefused(
                    f"{migration.label} line {statement.line}: {word} in a file that carries its own transaction "
                    "control: applied as sqlx applies it, its changes would be rolled back while the ledger records "
                    f"it as applied; remove the {word}; nothing was applied")


def _statuses(local: list[MigrationFile], applied: dict[int, ledger.LedgerRow]) -> list[MigrationStatus]:
    result: list[MigrationStatus] = []
    for migration in local:
        row = applied.get(migration.version)
        if row is None:
            result.append(MigrationStatus(migration.version, migration.description, migration.label, "pending",
                                          None, None, "-", None, community_features(migration.sql)))
            continue
        drifted = bytes(row.checksum) != migration.checksum
        result.append(MigrationStatus(
            migration.version, migration.description, migration.label,
            "applied" if row.success else "failed", row.installed_on, _duration_ms(row.execution_time),
            "DRIFTED" if drifted else "ok", likely_cause(migration.sql, bytes(row.checksum)) if drifted else None,
        ))
    known = {m.version for m in local}
    for version, row in sorted(applied.items()):
        if version not in known:
            result.append(MigrationStatus(version, row.description, None, "missing file" if row.success else "failed",
                                          row.installed_on, _duration_ms(row.execution_time), "-"))
    return sorted(result, key=lambda s: s.version)


def _preflight_ledger(statuses: list[MigrationStatus]) -> None:
    for item in statuses:
        if item.state == "failed":
            raise MigrationRefused(
                f"the ledger marks migration {item.version} ({item.description}) as failed (success = false): "
                "check its objects by hand, then delete that row from _sqlx_migrations and run migrate again"
            )
        if item.state == "missing file":
            raise MigrationRefused(
                f"migration {item.version} ({item.description}) is applied but its file is missing from the "
                "migrations folder: restore the file (it was deleted or renamed)"
            )
        if item.checksum == "DRIFTED":
            raise MigrationRefused(
                f"{item.file} was edited after it was applied ({item.drift_cause}): restore the applied text "
                "(e.g. `git checkout` it) and put the change in a new migration; nothing was applied"
            )


def _require_search_path(conn: Conn, info: ServerInfo) -> None:
    row = conn.execute(query("extension_schema")).fetchone()
    if row and not row[1]:
        raise MigrationRefused(
            f"TimescaleDB is installed in schema {row[0]!r}, which is not on this session's search_path "
            f"({row[2]}): the migrations call its functions unqualified (create_hypertable, …), so 002 would fail "
            f"half-way; add {row[0]!r} to the search_path of the role or database {info.database!r} (ALTER ROLE/"
            "DATABASE … SET search_path); nothing was applied"
        )


def _require_extension(info: ServerInfo, then: str = "; nothing was applied") -> None:
    if info.timescaledb_installed is None:
        raise MigrationRefused(
            f"TimescaleDB is not installed in database {info.database!r}: run CREATE EXTENSION timescaledb "
            f"(see `obsconsole doctor`){then}"
        )


@contextmanager
def _migration_lock(conn: Conn, database: str, wait_s: float, progress: Progress) -> Iterator[None]:
    key = ledger.lock_key(database)
    deadline = time.monotonic() + wait_s
    next_note = 0.0
    while not _scalar(conn, "lock_try", {"key": key}):
        now = time.monotonic()
        holder = conn.execute(query("lock_holder"), {"key": key}).fetchone()
        who = f"pid {holder[0]} ({holder[1]}, for {holder[2]})" if holder else "another session"
        if now >= deadline:
            raise MigrationRefused(
                f"another migration holds the migration lock ({who}) and did not finish within {wait_s:.0f} s; "
                "nothing was applied"
            )
        if now >= next_note:
            progress(f"waiting for the migration lock held by {who} ...")
            next_note = now + 10
        time.sleep(0.25)
    try:
        yield
    finally:
        if not conn.closed:
            if conn.info.transaction_status != psycopg.pq.TransactionStatus.IDLE:
                conn.rollback()
            _scalar(conn, "lock_release", {"key": key})


def _apply(conn: Conn, migration: MigrationFile, progress: Progress, done: list[AppliedMigration]) -> AppliedMigration:
    if not migration.no_transaction and migration.transaction_control:
        return _apply_own_transaction(conn, migration, progress, done)
    mode = "without a transaction" if migration.no_transaction else "in one transaction"
    progress(f"applying {migration.label} ({len(migration.statements)} statements, {mode}) ...")
    started = time.perf_counter_ns()
    statement: Statement | None = None
    try:
        if migration.no_transaction:
            with outside_transaction(conn):
                for statement in migration.statements:
                    conn.execute(statement.sql)
            statement = None
            ledger.insert(conn, migration.version, migration.description, migration.checksum)
        else:
            with conn.transaction():
                for statement in migration.statements:
                    conn.execute(statement.sql)
                statement = None
                ledger.insert(conn, migration.version, migration.description, migration.checksum)
    except psycopg.Error as exc:
        raise MigrationFailed(_failure_message(conn, migration, statement, exc), done) from None
    elapsed = time.perf_counter_ns() - started
    ledger.set_execution_time(conn, migration.version, elapsed)
    progress(f"applied  {migration.label} in {elapsed / 1e9:.2f} s")
    if migration.no_transaction:
        invalid = [row[0] for row in conn.execute(query("invalid_indexes"))]
        if invalid:
            progress(f"warning: INVALID indexes after {migration.label}: {', '.join(map(str, invalid))}")
    return AppliedMigration(migration.version, migration.description, elapsed / 1e9)


def _apply_own_transaction(conn: Conn, migration: MigrationFile, progress: Progress,
                           done: list[AppliedMigration]) -> AppliedMigration:
    """A file carrying its own BEGIN … COMMIT, applied as `sqlx migrate run` applies it: our BEGIN, the file's
    statements (its BEGIN is a no-op warning inside ours, its COMMIT ends the transaction), then the ledger row
    (success, execution_time -1: in the transaction when one is still open, else on its own right after the
    file's COMMIT), then our COMMIT and the execution time. A failure before the file's COMMIT rolls back
    everything; one after it leaves a `success = false` row, so the ledger never calls a partly committed file
    pending (the next run would apply it again) nor applied."""
    words = ", ".join(f"{word} line {statement.line}" for statement, word in migration.transaction_control)
    progress(f"applying {migration.label} ({len(migration.statements)} statements, in its own transaction: "
             f"{words}) ...")
    started = time.perf_counter_ns()
    own_commit: int | None = None
    statement: Statement | None = None
    with outside_transaction(conn):
        try:
            conn.execute(query("ledger_begin"))
            for statement in migration.statements:
                in_transaction = conn.info.transaction_status != IDLE
                conn.execute(statement.sql)
                if in_transaction and conn.info.transaction_status == IDLE and own_commit is None:  # its COMMIT
                    own_commit = statement.line
            statement = None
            ledger.insert(conn, migration.version, migration.description, migration.checksum)
            if conn.info.transaction_status != IDLE:
                conn.execute(query("ledger_commit"))
        except psycopg.Error as exc:
            message = _failure_message(conn, migration, statement, exc)
            if own_commit is not None and not conn.broken:
                raise MigrationFailed(_partly_committed(conn, migration, message, own_commit), done) from None
            raise MigrationFailed(message, done) from None
    elapsed = time.perf_counter_ns() - started
    ledger.set_execution_time(conn, migration.version, elapsed)
    row = ledger.rows(conn).get(migration.version)
    if row is None or not row.success or bytes(row.checksum) != migration.checksum:
        raise MigrationFailed(f"{migration.label}: applied, but its ledger row is not there after the file's "
                              "COMMIT: check _sqlx_migrations before running migrate again", done)
    if own_commit is None:
        progress(f"applied  {migration.label} in {elapsed / 1e9:.2f} s (its BEGIN ran inside the runner's "
                 "transaction; the ledger row is in the same transaction)")
    else:
        progress(f"applied  {migration.label} in {elapsed / 1e9:.2f} s: its own COMMIT (line {own_commit}) ended "
                 "the transaction and the ledger row was written right after it, as sqlx does; ledger and objects "
                 f"agree (version {migration.version} success = true)")
    return AppliedMigration(migration.version, migration.description, elapsed / 1e9, own_commit)


def _partly_committed(conn: Conn, migration: MigrationFile, message: str, own_commit: int) -> str:
    """After the file's own COMMIT committed part of it, a later statement failed: say so in the ledger."""
    head = without_undo(message)
    if conn.info.transaction_status != IDLE:
        conn.rollback()
    try:
        conn.execute(query("ledger_insert_partial"), {"version": migration.version,
                                                      "description": migration.description,
                                                      "checksum": migration.checksum})
    except psycopg.Error as exc:
        reason = server_words(exc)
        return (f"{head}; the file's own COMMIT (line {own_commit}) had made its statements up to there permanent, "
                f"and the ledger row saying so could not be written ({reason}): check the objects and "
                "_sqlx_migrations by hand before running migrate again")
    return (f"{head}; the file's own COMMIT (line {own_commit}) had made its statements up to there permanent: the "
            f"ledger marks {migration.version} as failed (success = false), so neither obsconsole nor sqlx applies it "
            "again until you check its objects and delete that row")


def without_undo(message: str) -> str:
    """A failure message less its note on what was rolled back."""
    for note in ("; rolled back: nothing of it remains", "; NOT rolled back"):
        if note in message:
            return message[: message.index(note)]
    return message


def _failure_message(conn: Conn, migration: MigrationFile, statement: Statement | None, exc: psycopg.Error) -> str:
    where = f"{migration.label} line {statement.line} ({statement.summary})" if statement else migration.label
    server = server_words(exc)
    undo = "rolled back: nothing of it remains" if not migration.no_transaction else (
        "NOT rolled back (no-transaction migration): earlier statements of it stay applied")
    if isinstance(exc, pgerrors.LockNotAvailable) and statement is not None:
        return f"{where}: lock timeout: {_blockers(conn, statement)}; {undo}"
    if isinstance(exc, pgerrors.InsufficientPrivilege):
        problem = privilege_problem(server, statement.sql if statement else "", conn.info.user)
        return f"{where}: {problem}; {undo}"
    if isinstance(exc, pgerrors.QueryCanceled):
        return f"{where}: statement timeout ({server}); {undo}"
    return f"{where}: {server}; {undo}"


def _blockers(conn: Conn, statement: Statement) -> str:
    words = sorted(set(re.findall(r"[A-Za-z_][A-Za-z0-9_]*", statement.sql)))
    try:
        rows = conn.execute(query("lock_blockers"), {"relnames": words}).fetchall()
    except psycopg.Error:
        rows = []
    if not rows:
        return "waited too long for a lock (the holder has gone)"
    return "waited for " + "; ".join(
        f"{printable(str(relname))} held by pid {pid} ({printable(str(app))}, {mode}, {state}: "
        f"{shown_query(str(q or ''), 120)})" for pid, app, mode, relname, state, q in rows
    )


def _scalar(conn: Conn, name: str, params: dict[str, object]) -> object:
    row = conn.execute(query(name), params).fetchone()
    return row[0] if row else None


def _duration_ms(execution_time: int) -> float | None:
    return execution_time / 1e6 if execution_time >= 0 else None


def _versions(local: list[MigrationFile]) -> str:
    return ", ".join(f"{m.version:03d}" for m in local)
