"""The seeder's bulk paths, chosen by engine (`console.infra.db.wasm_engine`).

native (any normal PostgreSQL): binary COPY FROM STDIN through psycopg's `cursor.copy()`, one stream per table,
  optionally several worker processes each generating and COPYing its own slice of hours.
tsl (PGlite, WASM): one connection only, and COPY FROM STDIN, pipeline mode, executemany or any client message
  over ~64 KiB crash it. So: one INSERT ... SELECT FROM unnest(<one binary array per column>) per batch, the
  batch cut by an upper estimate of its message size (BATCH_BYTES). Measured on the tsl engine: 50-row
  multi-row VALUES ~3,200 spans/s; unnest() with binary arrays ~9,000 spans/s at 50 rows and ~12,000 at 100
  rows; a 150-row batch (68 KB) crashed the engine (before its launcher gathered whole messages; a WASM engine
  behind another launcher may still crash so). Server-side generation (INSERT ... SELECT FROM
  generate_series) reaches ~20,000 spans/s, but would need a second generator in SQL (for native COPY the rows
  come from Python): not worth it while ten days (60,000 spans + logs + metrics) take ~10 s this way.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from psycopg.copy import QueuedLibpqWriter

from console.infra.db import Conn
from console.infra.queries import query
from console.seed.generator import (
    LOG_COLUMNS,
    LOG_TYPES,
    METRIC_COLUMNS,
    METRIC_TYPES,
    TRACE_COLUMNS,
    TRACE_TYPES,
    HourRows,
    Row,
)

Progress = Callable[[int], None]  # called with the number of spans just written

# Upper bound for what one INSERT sends on the tsl engine. Measured: a 65,400-byte query passes, 65,600 bytes
# crash it (64 KiB). Throughput is flat from ~30 KB up (per-row server cost dominates), so keep a wide margin:
# the per-row estimates are upper bounds and the SQL text is counted; 48,000 leaves > 17 KB.
BATCH_BYTES = 48_000
BATCH_MAX_ROWS = 1_000


@dataclass(frozen=True)
class _Table:
    name: str
    columns: tuple[str, ...]
    types: tuple[str, ...]
    copy_query: str
    insert_query: str


TRACES = _Table("llm_traces", TRACE_COLUMNS, TRACE_TYPES, "seed/copy_traces", "seed/insert_traces")
LOGS = _Table("llm_logs", LOG_COLUMNS, LOG_TYPES, "seed/copy_logs", "seed/insert_logs")
METRICS = _Table("llm_metrics", METRIC_COLUMNS, METRIC_TYPES, "seed/copy_metrics", "seed/insert_metrics")
_COLUMN_LIST = re.compile(r"(?:COPY|INSERT INTO)\s+(\w+)\s*\(([^)]*)\)", re.IGNORECASE)


def checked_query(table: _Table, name: str) -> str:
    """The SQL of `name`, after checking its column list is the generator's (one order, two files)."""
    sql = query(name)
    match = _COLUMN_LIST.search(sql)
    columns = tuple(c.strip() for c in match.group(2).split(",")) if match else ()
    if not match or match.group(1) != table.name or columns != table.columns:
        raise RuntimeError(f"queries/{name}.sql does not list {table.name}'s columns in the generator's order")
    return sql


@dataclass
class WriteStats:
    """Rows written and where the time went."""

    spans: int = 0
    logs: int = 0
    metrics: int = 0
    messages: int = 0  # INSERT statements (tsl) or COPY streams (native)
    write_s: float = 0.0

    def add(self, other: WriteStats) -> None:
        self.spans += other.spans
        self.logs += other.logs
        self.metrics += other.metrics
        self.messages += other.messages
        self.write_s += other.write_s


class CopyWriter:
    """Binary COPY FROM STDIN, one stream per table per call (autocommit: each COPY is its own transaction).

    Spans are streamed hour by hour while they are generated, through psycopg's QueuedLibpqWriter: a thread
    sends the data while the main thread generates and formats the next rows, so the server's work (parsing,
    15 index insertions per span) overlaps the generation. Logs and metrics (smaller) follow in their own COPY.
    """

    path = "binary COPY"

    def __init__(self, conn: Conn) -> None:
        self.conn = conn
        self.queries = {t.name: checked_query(t, t.copy_query) for t in (TRACES, LOGS, METRICS)}
        self.committed_spans = 0  # spans whose COPY has ended (committed), whatever fails after it
        self.rest_pending = False  # a block's spans are committed and its logs or metrics not yet

    def write(self, rows: HourRows, progress: Progress = lambda _n: None) -> WriteStats:
        """Write rows already generated."""
        return self.write_stream(iter([rows]), progress)[0]

    def write_stream(self, hours: Iterator[HourRows], progress: Progress = lambda _n: None
                     ) -> tuple[WriteStats, int, float]:
        """Generate-and-COPY: (stats, traces, seconds spent generating)."""
        stats = WriteStats()
        started = time.perf_counter()
        logs: list[Row] = []
        metrics: list[Row] = []
        traces = 0
        generate_s = 0.0
        with self.conn.cursor() as cur, cur.copy(self.queries[TRACES.name], writer=QueuedLibpqWriter(cur)) as copy:
            copy.set_types(list(TRACES.types))
            while True:
                gen_started = time.perf_counter()
                rows = next(hours, None)
                generate_s += time.perf_counter() - gen_started
                if rows is None:
                    break
                for row in rows.traces:
                    copy.write_row(row)
                logs.extend(rows.logs)
                metrics.extend(rows.metrics)
                traces += rows.trace_count
                stats.spans += len(rows.traces)
                progress(len(rows.traces))
        self.committed_spans += stats.spans
        self.rest_pending = True
        stats.messages += 1
        for table, data in ((LOGS, logs), (METRICS, metrics)):
            if not data:
                continue
            with self.conn.cursor() as cur, cur.copy(self.queries[table.name]) as copy:
                copy.set_types(list(table.types))
                for row in data:
                    copy.write_row(row)
            stats.messages += 1
        self.rest_pending = False
        stats.logs, stats.metrics = len(logs), len(metrics)
        stats.write_s = time.perf_counter() - started - generate_s
        return stats, traces, generate_s


class InsertWriter:
    """INSERT ... SELECT FROM unnest(binary arrays) in batches whose message stays under BATCH_BYTES (tsl)."""

    path = "INSERT ... SELECT FROM unnest() batches (< 48 KB per message)"

    def __init__(self, conn: Conn, batch_bytes: int = BATCH_BYTES) -> None:
        self.conn = conn
        self.batch_bytes = batch_bytes
        self.queries = {t.name: checked_query(t, t.insert_query) for t in (TRACES, LOGS, METRICS)}

    def write(self, rows: HourRows, progress: Progress = lambda _n: None) -> WriteStats:
        stats = WriteStats()
        started = time.perf_counter()
        with self.conn.transaction():  # one transaction (one SET LOCAL of the timeouts) per hour of rows
            for table, data in ((TRACES, rows.traces), (LOGS, rows.logs), (METRICS, rows.metrics)):
                sql = self.queries[table.name]
                for batch in batches([wire_row(r) for r in data], self.batch_bytes - len(sql)):
                    self.conn.execute(sql, dict(zip(table.columns, map(list, zip(*batch, strict=True)), strict=True)))
                    stats.messages += 1
                    if table is TRACES:
                        progress(len(batch))
        stats.spans, stats.logs, stats.metrics = len(rows.traces), len(rows.logs), len(rows.metrics)
        stats.write_s = time.perf_counter() - started
        return stats


def wire_row(row: Row) -> Row:
    """A generated row as the INSERT path sends it: jsonb as JSON text, a text[] as one comma-separated text."""
    return tuple(
        json.dumps(v, separators=(",", ":")) if isinstance(v, dict)
        else ",".join(v) if isinstance(v, list) else v
        for v in row
    )


def estimate_bytes(row: Sequence[Any]) -> int:
    """An upper estimate of what one row adds to a binary-array INSERT message (4-byte length + data per value)."""
    size = 0
    for value in row:
        if value is None:
            size += 4
        elif isinstance(value, str):
            size += 4 + len(value.encode())
        elif isinstance(value, Decimal):
            size += 4 + 8 + 2 * (len(value.as_tuple().digits) // 4 + 2)
        elif isinstance(value, int | float | datetime):
            size += 12
        else:
            size += 4 + len(str(value).encode()) * 2
    return size


def batches(rows: list[Row], budget: int) -> list[list[Row]]:
    """`rows` cut into consecutive batches whose estimated size (plus array headers) stays within `budget`."""
    result: list[list[Row]] = []
    if not rows:
        return result
    header = 32 * len(rows[0])  # per-array header and parameter framing
    current: list[Row] = []
    size = header
    for row in rows:
        row_size = estimate_bytes(row)
        if current and (size + row_size > budget or len(current) >= BATCH_MAX_ROWS):
            result.append(current)
            current, size = [], header
        current.append(row)
        size += row_size
    result.append(current)
    return result
