"""After seeding on TimescaleDB Community: materialize the continuous aggregates and run each policy job once.

No background workers run on the tsl engine (and a fresh seed should not wait for schedules anywhere), so:
1. CALL refresh_continuous_aggregate(view, start, end) for every continuous aggregate over the seeded window
   widened to whole days (the coarsest bucket); this refuses to run in a transaction block, so autocommit;
2. CALL run_job(id) once for every compression, retention and cagg-refresh policy, in that order: compression
   (chunks older than compress_after, counted from the real now()), retention (drops chunks past drop_after:
   a window older than that is dropped, and the report warns first), then the refresh policies (their own
   now()-relative windows).
A failing step is recorded with its error and the rest still run.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

import psycopg

from console.infra.db import Conn
from console.infra.errors import server_words
from console.infra.queries import query

Progress = Callable[[str], None]
JOB_ORDER = ("policy_compression", "policy_retention", "policy_refresh_continuous_aggregate")


@dataclass(frozen=True)
class Step:
    """One refresh or job run: what, on which object, how long, and the error if it failed."""

    action: str  # refresh | run_job
    target: str  # view name, or "job 1004 policy_compression llm_traces"
    seconds: float
    error: str | None = None
    job_id: int | None = None  # for a run_job


@dataclass(frozen=True)
class ChunkState:
    """Chunks of one hypertable after the aftercare: how many, how many compressed."""

    hypertable: str
    chunks: int
    compressed: int


@dataclass(frozen=True)
class AftercareReport:
    """What the aftercare did, and the chunks it left."""

    steps: list[Step]
    chunks: list[ChunkState]
    warnings: list[str]

    @property
    def failed(self) -> list[Step]:
        return [s for s in self.steps if s.error]


def run(conn: Conn, start: datetime, end: datetime, progress: Progress | None = None,
        ran: Callable[[Step], None] | None = None) -> AftercareReport:
    """Refresh every continuous aggregate over [start, end) widened to whole days, then run each policy job
    (`ran` is told of each run as it ends)."""
    note = progress or (lambda _msg: None)
    assert conn.autocommit, "refresh_continuous_aggregate and run_job need autocommit"
    window_start = start.replace(hour=0, minute=0, second=0, microsecond=0)
    window_end = end.replace(hour=0, minute=0, second=0, microsecond=0)
    if window_end < end:
        window_end += timedelta(days=1)
    steps: list[Step] = []
    views = [str(row[0]) for row in conn.execute(query("seed/caggs"))]
    for view in views:
        note(f"refreshing {view} ...")
        steps.append(_step(conn, "refresh", view, "seed/refresh_cagg",
                           {"view": view, "start": window_start, "end": window_end}))
    warnings = [
        f"the retention policy on {table} (drop_after {drop_after}) drops the part of the window older than "
        f"now() - {drop_after}: seed a more recent window, or pass --no-aftercare to keep it"
        for table, drop_after in conn.execute(query("seed/retention_reach"), {"start": start})
    ]
    jobs = conn.execute(query("seed/policy_jobs"), {"procs": list(JOB_ORDER)}).fetchall()
    for job_id, proc, relation in sorted(jobs, key=lambda j: (JOB_ORDER.index(str(j[1])), int(str(j[0])))):
        label = f"job {job_id} {proc} {relation}"
        note(f"running {label} ...")
        step = _step(conn, "run_job", label, "seed/run_job", {"job_id": job_id}, job_id=int(str(job_id)))
        steps.append(step)
        if ran is not None:
            ran(step)
    chunks = [ChunkState(str(h), int(str(n)), int(str(c))) for h, n, c in conn.execute(query("seed/chunk_state"))]
    return AftercareReport(steps, chunks, warnings)


def _step(conn: Conn, action: str, target: str, name: str, params: dict[str, object],
          job_id: int | None = None) -> Step:
    started = time.perf_counter()
    try:
        conn.execute(query(name), params)
    except psycopg.Error as exc:
        message = server_words(exc)
        return Step(action, target, time.perf_counter() - started, message, job_id)
    return Step(action, target, time.perf_counter() - started, job_id=job_id)

