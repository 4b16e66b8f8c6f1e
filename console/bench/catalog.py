"""Building an N-chunk catalog fast: one row per chunk interval, inserted with INSERT … SELECT generate_series
into llm_metrics (1-hour chunks), llm_traces and llm_logs (1-day chunks), a few hundred chunks per statement
(each statement its own transaction, so the lock table never fills), then ANALYZE, as autovacuum would have done
on a production catalog."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from console.infra.db import Conn, outside_transaction
from console.infra.queries import query

BATCH = 200  # chunks created per statement
DAILY_SHARE = 0.1  # llm_traces and llm_logs get a tenth of the chunks each (days), llm_metrics the rest (hours)
MIN_CHUNKS, MAX_CHUNKS = 3, 100_000


@dataclass(frozen=True)
class ChunkPlan:
    """How many chunks each hypertable gets."""

    traces: int
    metrics: int
    logs: int

    @property
    def total(self) -> int:
        return self.traces + self.metrics + self.logs


@dataclass(frozen=True)
class Built:
    """The catalog bench built, as TimescaleDB counts it, and how long it took."""

    plan: ChunkPlan
    end: datetime  # the newest interval's time: a later, larger build continues from the same end
    chunks: dict[str, int]  # hypertable -> num_chunks
    seconds: float

    @property
    def total(self) -> int:
        return sum(self.chunks.values())


def plan_chunks(total: int) -> ChunkPlan:
    """Split `total` chunks: a tenth each to llm_traces and llm_logs (at least one), the rest to llm_metrics."""
    daily = max(1, round(total * DAILY_SHARE))
    return ChunkPlan(traces=daily, metrics=total - 2 * daily, logs=daily)


NOTHING = ChunkPlan(0, 0, 0)


def build(conn: Conn, total: int, already: Built | None = None,
          progress: Callable[[int, int], None] = lambda _done, _total: None) -> Built:
    """Insert one row per chunk interval until the three hypertables hold `total` chunks (after `already`, what
    an earlier call built, only older intervals are added); `progress(done, total)` after each statement."""
    plan = plan_chunks(total)
    end = already.end if already else datetime.now(UTC)
    before = already.plan if already else NOTHING
    started = time.perf_counter()
    done = before.total
    for name, start, count in (("bench/chunks_metrics", before.metrics, plan.metrics),
                               ("bench/chunks_traces", before.traces, plan.traces),
                               ("bench/chunks_logs", before.logs, plan.logs)):
        for first in range(start, count, BATCH):
            step = min(BATCH, count - first)
            conn.execute(query(name), {"end": end, "first": first, "count": step})
            done += step
            progress(done, plan.total)
    with outside_transaction(conn):  # one transaction per table, as outside a block: the lock table stays small
        if conn.info.server_version >= 150000:
            conn.execute(query("bench/flush_stats"))
        conn.execute(query("bench/analyze"))
    seconds = time.perf_counter() - started
    return Built(plan, end, chunk_counts(conn), seconds)


def chunk_counts(conn: Conn) -> dict[str, int]:
    """Chunks per hypertable, from TimescaleDB's catalog."""
    return {str(name): int(str(n)) for name, n in conn.execute(query("bench/chunk_count")).fetchall()}
