"""`verify --drift`: replay the applied migrations into a scratch tsl engine and compare catalogs."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg

from console import engines
from console.drift import snapshot
from console.drift.compare import Sides, compare
from console.drift.model import DriftReport
from console.drift.replay import replay
from console.infra.db import Timeouts, connect
from console.infra.dsn import ResolvedDsn
from console.infra.errors import ConsoleError
from console.infra.server import ServerInfo, server_info
from console.migrator import files, ledger
from console.migrator.files import MigrationFile

Conn = psycopg.Connection[tuple[object, ...]]
# The scratch engine is ours and in memory: long statements are fine, lock waits cannot happen.
SCRATCH_TIMEOUTS = Timeouts(statement_ms=300_000, lock_ms=10_000)


def drift(target: ResolvedDsn, *, directory: Path, to: int | None = None,
          check_timeout_ms: int = 10_000) -> DriftReport:
    """Replay what the target's ledger says is applied (no ledger: every file in `directory` up to `to`) into a
    scratch engine and report every difference. Raises ConsoleError when no scratch engine can start."""
    with connect(target, timeouts=Timeouts(check_timeout_ms, check_timeout_ms)) as conn:
        return drift_on(conn, directory=directory, to=to)


def drift_on(conn: Conn, *, directory: Path, to: int | None = None) -> DriftReport:
    """`drift` on an open (read-only) connection to the target: the TUI's Verify screen uses its session's."""
    started = time.perf_counter()
    local = files.load(directory)
    if to is not None and to not in {m.version for m in local}:
        raise ConsoleError(f"--to {to}: no migration in {directory} has that version")
    info = server_info(conn)
    applied = {v for v, row in ledger.rows(conn).items() if row.success}
    live = snapshot.take(conn, info)
    chosen, not_replayed, source = _choose(local, applied, to)
    with scratch() as scratch_conn:
        replay_info = server_info(scratch_conn)
        result = replay(scratch_conn, chosen, replay_info)
    sides = Sides(info, replay_info, chosen, [m for m in local if m not in chosen])
    return DriftReport(
        source=source, replayed=result.files, not_replayed=not_replayed, target=describe(info),
        replay_engine=describe(replay_info), failures=result.failures,
        differences=compare(result, live, sides), elapsed_ms=(time.perf_counter() - started) * 1000,
    )


def _choose(
    local: list[MigrationFile], applied: set[int], to: int | None
) -> tuple[list[MigrationFile], list[str], str]:
    capped = [m for m in local if to is None or m.version <= to]
    if not applied:
        return capped, [], "folder"
    known = {m.version for m in local}
    missing = [f"{v:03d} (applied per the ledger, no file in the folder)" for v in sorted(applied - known)
               if to is None or v <= to]
    return [m for m in capped if m.version in applied], missing, "ledger"


@contextmanager
def scratch() -> Iterator[Conn]:
    """A writable connection to a fresh in-memory tsl engine, stopped (no process left) on the way out."""
    try:
        engine = engines.start("tsl")
    except ConsoleError as exc:
        raise ConsoleError(f"no embedded engine to replay into: {exc.message}") from None
    try:
        with connect(ResolvedDsn(engine.dsn, "scratch tsl engine"), read_only=False, timeouts=SCRATCH_TIMEOUTS) as conn:
            yield conn
    finally:
        engine.stop()


def describe(info: ServerInfo) -> str:
    """'PostgreSQL 15.14, TimescaleDB 2.19.3 (apache)' for a report's header."""
    version = info.server_version.split(" ", 1)[0]
    tsdb = f"TimescaleDB {info.timescaledb_installed} ({info.edition})" if info.timescaledb_installed else \
        "no TimescaleDB"
    return f"PostgreSQL {version}, {tsdb}"
