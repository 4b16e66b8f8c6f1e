"""One job up close: its run history, and running it now (the Jobs screen's drill-down)."""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import datetime

import psycopg
from psycopg.rows import class_row

from console.infra.db import Timeouts, outside_transaction, session_timeouts
from console.infra.errors import EXIT_FAILED, ConsoleError
from console.infra.guard import require_writable
from console.infra.queries import for_version, query
from console.infra.server import ServerInfo

Conn = psycopg.Connection[tuple[object, ...]]
# A job run (compressing a day of spans, say) may take minutes; waiting on a lock may not.
JOB_RUN_TIMEOUTS = Timeouts(statement_ms=600_000, lock_ms=5_000)


@dataclass(frozen=True)
class JobRun:
    """One logged run of a job."""

    started_at: datetime | None
    finished_at: datetime | None
    succeeded: bool | None
    sqlerrcode: str | None
    err_message: str | None


def history(conn: Conn, info: ServerInfo, job_id: int, limit: int = 20) -> list[JobRun]:
    """The job's latest logged runs, newest first (failures only before TimescaleDB 2.15)."""
    with conn.cursor(row_factory=class_row(JobRun)) as cur:
        text = for_version("jobs/history", info.tsdb_version_tuple)
        return cur.execute(text, {"job_id": job_id, "limit": limit}).fetchall()


def run_now(conn: Conn, info: ServerInfo, job_id: int) -> float:
    """CALL run_job(job_id) in this session; returns the seconds it took. ConsoleError (exit 1) with the
    server's reason when it fails, e.g. on the Apache edition."""
    if not info.community:
        raise ConsoleError(f"run_job needs TimescaleDB Community; this server runs the {info.edition} edition",
                           EXIT_FAILED)
    require_writable(conn, f"running job {job_id}")
    started = time.perf_counter()
    try:
        with session_timeouts(conn, JOB_RUN_TIMEOUTS), outside_transaction(conn):
            conn.execute(query("jobs/run"), {"job_id": job_id})
    except psycopg.Error as exc:
        message = (exc.diag.message_primary or str(exc)).strip().splitlines()[0]
        raise ConsoleError(f"job {job_id} failed: {message}", EXIT_FAILED) from None
    return time.perf_counter() - started
