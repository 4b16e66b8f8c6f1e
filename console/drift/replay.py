"""Replaying migration files the way `psql -f` applies them, into a scratch database.

Statement by statement in autocommit: a file's own BEGIN/COMMIT open and close real transactions, a failed
statement is noted and the replay goes on (inside an aborted transaction the server refuses the rest until
its COMMIT, exactly as under psql), a transaction a file leaves open is rolled back at its end (psql's exit).
A snapshot after each file says which file created, and which last changed, every object.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import psycopg

from console.drift import snapshot
from console.drift.snapshot import Snapshot
from console.infra.db import Conn, outside_transaction
from console.infra.errors import server_words
from console.infra.server import ServerInfo
from console.migrator.files import MigrationFile

# A WASM engine may crash on a client message over ~64 KiB (console.infra.db): such a statement is noted, not sent.
MAX_STATEMENT_BYTES = 60_000

ObjectId = tuple[str, str]  # (section, key)


@dataclass(frozen=True)
class StatementFailure:
    """A statement that failed while a file ran: where, what, and the server's message."""

    file: str
    line: int
    statement: str
    message: str


@dataclass
class ReplayResult:
    """What a replay did and the database it left."""

    files: list[str] = field(default_factory=list)
    failures: list[StatementFailure] = field(default_factory=list)
    created_by: dict[ObjectId, str] = field(default_factory=dict)
    changed_by: dict[ObjectId, str] = field(default_factory=dict)
    snapshot: Snapshot = field(default_factory=dict)


def replay(conn: Conn, migrations: list[MigrationFile], info: ServerInfo) -> ReplayResult:
    """Apply `migrations` in order on `conn` (autocommit) like psql, snapshotting after each file."""
    result = ReplayResult()
    previous = snapshot.take(conn, info)
    for migration in migrations:
        result.failures += run_like_psql(conn, migration)
        result.files.append(migration.label)
        current = snapshot.take(conn, info)
        _attribute(result, previous, current, migration.label)
        previous = current
    result.snapshot = previous
    return result


def run_like_psql(conn: Conn, migration: MigrationFile) -> list[StatementFailure]:
    """Run one file's statements one by one as psql does; the failures, in order."""
    failures: list[StatementFailure] = []
    with outside_transaction(conn):  # as psql sends them: the file's own BEGIN/COMMIT are real, none of ours
        failures += _statements(conn, migration)
    return failures


def _statements(conn: Conn, migration: MigrationFile) -> list[StatementFailure]:
    failures: list[StatementFailure] = []
    for statement in migration.statements:
        size = len(statement.sql.encode("utf-8"))
        if size > MAX_STATEMENT_BYTES:
            failures.append(StatementFailure(migration.label, statement.line, statement.summary,
                                             f"not replayed: {size} bytes is more than the embedded engine takes"))
            continue
        try:
            conn.execute(statement.sql)
        except psycopg.Error as exc:
            message = server_words(exc)
            failures.append(StatementFailure(migration.label, statement.line, statement.summary, message))
    if conn.info.transaction_status != psycopg.pq.TransactionStatus.IDLE:
        conn.rollback()
        failures.append(StatementFailure(migration.label, 0, "(end of file)",
                                         "the file left a transaction open: rolled back, as psql does on exit"))
    return failures


def _attribute(result: ReplayResult, before: Snapshot, after: Snapshot, label: str) -> None:
    for section, objects in after.items():
        for key, attrs in objects.items():
            old = before.get(section, {}).get(key)
            if old is None:
                result.created_by.setdefault((section, key), label)
            elif old != attrs:
                result.changed_by[(section, key)] = label
