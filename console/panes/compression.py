"""Compression pane: per compression-enabled hypertable (and continuous aggregate) and per chunk, the bytes
before and after compression, the ratio and % saved, and the backlog: chunks the policy should have compressed
already (older than compress_after) that are still uncompressed."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from psycopg import sql

from console.infra import clock, fmt
from console.infra.db import Conn
from console.infra.fmt import interval_words
from console.infra.queries import identifier
from console.infra.server import ServerInfo
from console.panes.common import (
    DEFAULT_TIMEOUT_MS,
    Pane,
    PaneData,
    PaneResult,
    run_pane,
    status_view,
    unavailable,
    unavailable_reason,
)
from console.panes.rows import Row, fetch, object_identity, per_object
from console.panes.view import BarChart, PaneView
from console.view import Align, Cell, Column, Style, ViewRow

NAME = "compression"
TITLE = "Compression ratios"


@dataclass(frozen=True)
class ChunkCompression:
    """One chunk: compressed or not, its sizes before/after compression (None while uncompressed)."""

    chunk_schema: str
    chunk_name: str
    range_start: datetime | None
    range_end: datetime | None
    is_compressed: bool
    before_bytes: int | None
    after_bytes: int | None
    ratio: float | None  # before / after
    saved_pct: float | None  # 100 * (1 - after / before)
    backlog: bool  # uncompressed although older than the policy's compress_after


@dataclass(frozen=True)
class HypertableCompression:
    """One compression-enabled hypertable or continuous aggregate. Byte totals sum the compressed chunks'
    snapshots taken at compression time: exactly what hypertable_compression_stats() reports."""

    schema: str
    name: str  # hypertable, or the continuous aggregate's view name
    kind: str  # "hypertable" | "continuous aggregate"
    hypertable_schema: str
    hypertable_name: str
    policy_job_id: int | None
    compress_after: timedelta | None
    policy: str  # "compress after 7 days", "compress chunks created before 3 days", "no compression policy"
    total_chunks: int
    compressed_chunks: int
    before_table_bytes: int
    before_index_bytes: int
    before_toast_bytes: int
    before_total_bytes: int
    after_table_bytes: int
    after_index_bytes: int
    after_toast_bytes: int
    after_total_bytes: int
    ratio: float | None
    saved_pct: float | None
    backlog_chunks: int
    oldest_backlog: ChunkCompression | None
    oldest_backlog_age: timedelta | None  # now - range_end of the oldest backlog chunk
    chunks: list[ChunkCompression] = field(default_factory=list)


@dataclass(frozen=True)
class CompressionSummary:
    """Totals over every compression-enabled hypertable."""

    hypertables: int
    compressed_chunks: int
    before_total_bytes: int
    after_total_bytes: int
    ratio: float | None
    saved_pct: float | None
    backlog_chunks: int
    measured_at: datetime


def compression(
    conn: Conn, info: ServerInfo, *, timeout_ms: int = DEFAULT_TIMEOUT_MS
) -> PaneResult[HypertableCompression, CompressionSummary]:
    """The compression pane. Unavailable on the Apache edition (compression is a Community feature)."""
    reason = unavailable_reason(info, "compression", community=True)
    if reason:
        return unavailable(NAME, TITLE, reason)
    stats = stats_function(info)

    def body(conn: Conn) -> PaneData[HypertableCompression, CompressionSummary]:
        rows = fetch(conn, "panes/compression", template={"stats_function": sql.Identifier(stats)})
        tables = [_hypertable(group) for group in per_object(rows)]
        before = sum(t.before_total_bytes for t in tables)
        after = sum(t.after_total_bytes for t in tables)
        summary = CompressionSummary(
            hypertables=len(tables),
            compressed_chunks=sum(t.compressed_chunks for t in tables),
            before_total_bytes=before,
            after_total_bytes=after,
            ratio=_ratio(before, after),
            saved_pct=_saved(before, after),
            backlog_chunks=sum(t.backlog_chunks for t in tables),
            measured_at=rows[0]["db_now"] if rows else clock.now().astimezone(),
        )
        return PaneData(tables, summary, "no hypertable has compression enabled")

    return run_pane(conn, NAME, TITLE, timeout_ms, body)


def stats_function(info: ServerInfo) -> str:
    """The per-chunk stats function by version: 2.18 renamed it (the old name stays, deprecated)."""
    return identifier("compression_stats", info.tsdb_version_tuple)


def _hypertable(rows: list[Row]) -> HypertableCompression:
    first = rows[0]
    chunks = [_chunk(r) for r in rows if r["chunk_name"] is not None]
    compressed = [r for r in rows if r["chunk_name"] is not None and r["before_total_bytes"] is not None]
    backlog = [c for c in chunks if c.backlog]
    oldest = min(backlog, key=_range_key, default=None)
    now: datetime = first["db_now"]

    def total(column: str) -> int:
        return sum(int(r[column]) for r in compressed)

    before, after = total("before_total_bytes"), total("after_total_bytes")
    return HypertableCompression(
        **object_identity(first),
        policy_job_id=first["policy_job_id"],
        compress_after=first["compress_after"],
        policy=_policy_words(first),
        total_chunks=len(chunks),
        compressed_chunks=len(compressed),
        before_table_bytes=total("before_table_bytes"),
        before_index_bytes=total("before_index_bytes"),
        before_toast_bytes=total("before_toast_bytes"),
        before_total_bytes=before,
        after_table_bytes=total("after_table_bytes"),
        after_index_bytes=total("after_index_bytes"),
        after_toast_bytes=total("after_toast_bytes"),
        after_total_bytes=after,
        ratio=_ratio(before, after),
        saved_pct=_saved(before, after),
        backlog_chunks=len(backlog),
        oldest_backlog=oldest,
        oldest_backlog_age=now - oldest.range_end if oldest and oldest.range_end else None,
        chunks=chunks,
    )


def _chunk(row: Row) -> ChunkCompression:
    before, after = row["before_total_bytes"], row["after_total_bytes"]
    return ChunkCompression(
        chunk_schema=row["chunk_schema"],
        chunk_name=row["chunk_name"],
        range_start=row["range_start"],
        range_end=row["range_end"],
        is_compressed=bool(row["is_compressed"]),
        before_bytes=before,
        after_bytes=after,
        ratio=_ratio(before, after) if before is not None and after is not None else None,
        saved_pct=_saved(before, after) if before is not None and after is not None else None,
        backlog=bool(row["backlog"]),
    )


def _range_key(chunk: ChunkCompression) -> tuple[bool, datetime | None, str]:
    return (chunk.range_start is None, chunk.range_start, chunk.chunk_name)


def _policy_words(row: Row) -> str:
    if row["compress_after_text"] is not None:
        return f"compress after {interval_words(row['compress_after_text'])}"
    if row["compress_created_before_text"] is not None:
        return f"compress chunks created before {interval_words(row['compress_created_before_text'])}"
    return "no compression policy"


def _ratio(before: int, after: int) -> float | None:
    return before / after if after else None


def _saved(before: int, after: int) -> float | None:
    return 100.0 * (1 - after / before) if before else None


COLUMNS = (
    Column("hypertable", 0, identifier=True),
    Column("compressed", 0, Align.RIGHT),
    Column("ratio", 0, Align.RIGHT),
    Column("backlog", 0, Align.RIGHT),
    Column("saved", 1, Align.RIGHT),
    Column("before", 2, Align.RIGHT),
    Column("after", 2, Align.RIGHT),
    Column("policy", 3),
    Column("oldest backlog", 4),
)


def view(result: PaneResult[HypertableCompression, CompressionSummary]) -> PaneView:
    """Rows per compression-enabled table, the backlog flagged, and a bar chart of ratios."""
    summary = result.summary
    if summary is None or not result.rows:
        return status_view(result, COLUMNS)
    rows = []
    for t in result.rows:
        oldest = ""
        if t.oldest_backlog is not None:
            age = f", ended {fmt.duration_words(t.oldest_backlog_age)} ago" if t.oldest_backlog_age else ""
            oldest = f"{t.oldest_backlog.chunk_name}{age}"
        rows.append(ViewRow(f"{t.schema}.{t.name}", (
            Cell.of(t.name + (" (cagg)" if t.kind == "continuous aggregate" else "")),
            Cell.of(f"{t.compressed_chunks}/{t.total_chunks}"), Cell.of(fmt.ratio(t.ratio)),
            Cell.of(t.backlog_chunks, Style.WARN if t.backlog_chunks else Style.PLAIN),
            Cell.of(fmt.pct(t.saved_pct)), Cell.of(fmt.size(t.before_total_bytes)),
            Cell.of(fmt.size(t.after_total_bytes)), Cell.of(t.policy), Cell.of(oldest),
        )))
    ratio = (f"{fmt.ratio(summary.ratio)} ({fmt.pct(summary.saved_pct)} saved)" if summary.ratio is not None
             else "no ratio yet")
    line = (f"{summary.compressed_chunks} chunks compressed · {fmt.size(summary.before_total_bytes)} -> "
            f"{fmt.size(summary.after_total_bytes)} · {ratio} · backlog {summary.backlog_chunks}")
    charted = [t for t in result.rows if t.ratio is not None]
    chart = BarChart("compression ratio (before/after)", [t.name for t in charted], [t.ratio or 0.0 for t in charted])
    return PaneView(NAME, TITLE, result.status.value, COLUMNS, tuple(rows), line, chart=chart,
                    elapsed_ms=result.elapsed_ms)


PANE = Pane(NAME, TITLE, lambda conn, info, options: compression(conn, info, timeout_ms=options.timeout_for(NAME)),
            view)
