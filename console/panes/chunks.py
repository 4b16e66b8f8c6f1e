"""Chunk sizes pane: per hypertable (continuous aggregates' materialization hypertables included, labelled by
view name) chunk count and interval, bytes by kind, compressed vs uncompressed chunks, the newest and biggest
chunk, growth per day, and chunks far bigger than their siblings (skew)."""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from console.infra import clock, fmt
from console.infra.db import Conn
from console.infra.server import ServerInfo
from console.panes import chunk_cache
from console.panes.chunk_cache import Key, Measured, SizeCache
from console.panes.common import (
    DEFAULT_TIMEOUT_MS,
    Pane,
    PaneData,
    PaneResult,
    Row,
    fetch,
    object_identity,
    per_object,
    run_pane,
    status_view,
    unavailable,
    unavailable_reason,
)
from console.panes.view import Align, BarChart, Cell, Column, PaneView, Style, ViewRow

NAME = "chunks"
TITLE = "Chunk sizes"
SKEW_FACTOR = 4.0  # a chunk bigger than this many times the median of its siblings is flagged
SKEW_MIN_CHUNKS = 3  # siblings (same hypertable, same compression state) needed for a meaningful median
GROWTH_WINDOW = timedelta(days=7)


@dataclass(frozen=True)
class ChunkSize:
    """One chunk: its time range, compression state and sizes (bytes, from chunks_detailed_size)."""

    chunk_schema: str
    chunk_name: str
    range_start: datetime | None  # None for integer-time hypertables
    range_end: datetime | None
    is_compressed: bool
    table_bytes: int
    index_bytes: int
    toast_bytes: int
    total_bytes: int
    measured_at: datetime | None = None  # when its exact sizes were measured; None: a pg_class estimate for now


@dataclass(frozen=True)
class SkewedChunk:
    """A chunk more than `SKEW_FACTOR` times the median size of its siblings in the same compression state."""

    chunk: ChunkSize
    median_bytes: float
    factor: float


@dataclass(frozen=True)
class HypertableChunks:
    """One hypertable or continuous aggregate and its chunks."""

    schema: str
    name: str  # the hypertable, or the continuous aggregate's view name
    kind: str  # "hypertable" | "continuous aggregate"
    hypertable_schema: str  # the hypertable holding the chunks (the materialization hypertable of a cagg)
    hypertable_name: str
    chunk_interval: timedelta | None  # None for integer time (see chunk_interval_integer)
    chunk_interval_integer: int | None
    chunk_count: int
    compressed_chunks: int
    uncompressed_chunks: int
    table_bytes: int
    index_bytes: int
    toast_bytes: int
    total_bytes: int
    compressed_bytes: int  # total bytes of the compressed chunks
    uncompressed_bytes: int
    newest: ChunkSize | None  # the chunk with the latest range
    biggest: ChunkSize | None
    growth_bytes_per_day: float | None  # bytes of the last 7 days (or since the oldest chunk) per day
    skewed: list[SkewedChunk] = field(default_factory=list)
    estimated_chunks: int = 0  # chunks counted with their pg_class estimate until measured
    oldest_measurement: datetime | None = None  # the oldest exact measurement among its chunks


@dataclass(frozen=True)
class ChunkSummary:
    """Totals over every hypertable, as measured at `measured_at` (the server's clock)."""

    hypertables: int
    chunks: int
    total_bytes: int
    skewed_chunks: int
    measured_at: datetime
    measured_now: int = 0  # chunks measured exactly on this refresh (the others: cached, or estimated)
    estimated_chunks: int = 0  # chunks counted with their pg_class estimate until measured
    oldest_measurement: datetime | None = None  # of the cached sizes shown


def chunk_sizes(
    conn: Conn, info: ServerInfo, *, timeout_ms: int = DEFAULT_TIMEOUT_MS, skew_factor: float = SKEW_FACTOR,
    cache: SizeCache | None = None,
) -> PaneResult[HypertableChunks, ChunkSummary]:
    """The chunk sizes pane (both editions; TimescaleDB's catalog and relation sizes only). With a `cache` (the
    dashboard's), hot chunks are measured on every refresh and cold ones on a slower cadence; without, all now."""
    reason = unavailable_reason(info, "chunk sizes", community=False)
    if reason:
        return unavailable(NAME, TITLE, reason)

    def body(conn: Conn) -> PaneData[HypertableChunks, ChunkSummary]:
        rows = fetch(conn, "panes/chunks")
        now: datetime = rows[0]["db_now"] if rows else clock.now().astimezone()
        keys = [chunk_cache.key(r) for r in rows if r["chunk_oid"] is not None]
        if cache is None:
            measured = chunk_cache.measure(conn, keys, now)
        else:
            hot = chunk_cache.hot_keys(rows)
            measured = cache.refresh(conn, [k for k in keys if k in hot], [k for k in keys if k not in hot], now)
        sizes = {k: measured.get(k) or (cache.get(k) if cache else None) for k in keys}
        tables = [_hypertable(group, skew_factor, sizes) for group in per_object(rows)]
        summary = ChunkSummary(
            hypertables=len(tables),
            chunks=sum(t.chunk_count for t in tables),
            total_bytes=sum(t.total_bytes for t in tables),
            skewed_chunks=sum(len(t.skewed) for t in tables),
            measured_at=now,
            measured_now=len(measured),
            estimated_chunks=sum(t.estimated_chunks for t in tables),
            oldest_measurement=min((t.oldest_measurement for t in tables if t.oldest_measurement), default=None),
        )
        return PaneData(tables, summary, "no hypertables in this database")

    return run_pane(conn, NAME, TITLE, timeout_ms, body)


def _hypertable(rows: list[Row], skew_factor: float, sizes: dict[Key, Measured | None]) -> HypertableChunks:
    first = rows[0]
    chunks = [_chunk(r, sizes.get(chunk_cache.key(r))) for r in rows if r["chunk_oid"] is not None]
    compressed = [c for c in chunks if c.is_compressed]
    uncompressed = [c for c in chunks if not c.is_compressed]
    return HypertableChunks(
        **object_identity(first),
        chunk_interval=first["chunk_interval"],
        chunk_interval_integer=first["chunk_interval_integer"],
        chunk_count=len(chunks),
        compressed_chunks=len(compressed),
        uncompressed_chunks=len(uncompressed),
        table_bytes=sum(c.table_bytes for c in chunks),
        index_bytes=sum(c.index_bytes for c in chunks),
        toast_bytes=sum(c.toast_bytes for c in chunks),
        total_bytes=sum(c.total_bytes for c in chunks),
        compressed_bytes=sum(c.total_bytes for c in compressed),
        uncompressed_bytes=sum(c.total_bytes for c in uncompressed),
        newest=_newest(chunks),
        biggest=max(chunks, key=lambda c: c.total_bytes, default=None),
        growth_bytes_per_day=_growth_per_day(chunks, first["db_now"]),
        skewed=_skewed(compressed, skew_factor) + _skewed(uncompressed, skew_factor),
        estimated_chunks=sum(c.measured_at is None for c in chunks),
        oldest_measurement=min((c.measured_at for c in chunks if c.measured_at is not None), default=None),
    )


def _chunk(row: Row, size: Measured | None) -> ChunkSize:
    estimate = int(row["estimated_bytes"] or 0)
    return ChunkSize(
        chunk_schema=row["chunk_schema"],
        chunk_name=row["chunk_name"],
        range_start=row["range_start"],
        range_end=row["range_end"],
        is_compressed=bool(row["is_compressed"]),
        table_bytes=size.table_bytes if size else estimate,
        index_bytes=size.index_bytes if size else 0,
        toast_bytes=size.toast_bytes if size else 0,
        total_bytes=size.total_bytes if size else estimate,
        measured_at=size.at if size else None,
    )


def _newest(chunks: list[ChunkSize]) -> ChunkSize | None:
    """The chunk with the latest range (the last one for integer-time hypertables, which have no timestamps)."""
    timed = [c for c in chunks if c.range_end is not None]
    if not timed:
        return chunks[-1] if chunks else None
    return max(timed, key=lambda c: (c.range_end, c.chunk_name))


def _skewed(siblings: list[ChunkSize], factor: float) -> list[SkewedChunk]:
    """Chunks bigger than `factor` x the median of siblings in the same compression state (compressed chunks
    are compared with compressed ones only: a fresh row-store chunk is always far bigger than a compressed one)."""
    if len(siblings) < SKEW_MIN_CHUNKS:
        return []
    median = statistics.median(c.total_bytes for c in siblings)
    if median <= 0:
        return []
    return [SkewedChunk(c, float(median), c.total_bytes / median) for c in siblings if c.total_bytes > factor * median]


def _growth_per_day(chunks: list[ChunkSize], now: datetime) -> float | None:
    """Bytes added per day over the last 7 days (or since the oldest chunk, if younger). A chunk counts with the
    share of its elapsed range inside the window (its rows assumed spread evenly); a chunk entirely in the
    future counts whole. None for integer-time hypertables or without chunks."""
    spans = [(c.range_start, c.range_end, c.total_bytes) for c in chunks
             if c.range_start is not None and c.range_end is not None]
    if not spans:
        return None
    window_start = max(now - GROWTH_WINDOW, min(start for start, _end, _bytes in spans))
    days = max((now - window_start) / timedelta(days=1), 1 / 24)
    grown = 0.0
    for start, end, size in spans:
        elapsed_end = min(end, now)
        if elapsed_end <= start:
            grown += size
        elif elapsed_end > window_start:
            grown += size * ((elapsed_end - max(start, window_start)) / (elapsed_end - start))
    return grown / days


COLUMNS = (
    Column("hypertable", 0, identifier=True),
    Column("chunks", 0, Align.RIGHT),
    Column("total", 0, Align.RIGHT),
    Column("compressed", 1, Align.RIGHT),
    Column("skew", 1),
    Column("interval", 2),
    Column("growth/day", 2, Align.RIGHT),
    Column("biggest chunk", 3),
    Column("newest chunk", 3),
    Column("table", 4, Align.RIGHT),
    Column("index", 4, Align.RIGHT),
    Column("toast", 5, Align.RIGHT),
)


def label(name: str, kind: str) -> str:
    """An object's name, marked when it is a continuous aggregate."""
    return name + (" (cagg)" if kind == "continuous aggregate" else "")


def interval_text(table: HypertableChunks) -> str:
    if table.chunk_interval is not None:
        return fmt.duration_words(table.chunk_interval)
    return "" if table.chunk_interval_integer is None else str(table.chunk_interval_integer)


def view(result: PaneResult[HypertableChunks, ChunkSummary]) -> PaneView:
    """Rows per hypertable, skewed chunks flagged, and a bar chart of sizes."""
    summary = result.summary
    if summary is None or not result.rows:
        return status_view(result, COLUMNS)
    rows = tuple(ViewRow(f"{t.schema}.{t.name}", (
        Cell.of(label(t.name, t.kind)), Cell.of(t.chunk_count), Cell.of(fmt.size(t.total_bytes)),
        Cell.of(f"{t.compressed_chunks}/{t.chunk_count}"),
        Cell.of(f"{len(t.skewed)} skewed", Style.WARN) if t.skewed else Cell.of(""),
        Cell.of(interval_text(t)),
        Cell.of(fmt.size(round(t.growth_bytes_per_day)) if t.growth_bytes_per_day is not None else ""),
        Cell.of(f"{t.biggest.chunk_name} {fmt.size(t.biggest.total_bytes)}" if t.biggest else ""),
        Cell.of(fmt.when(t.newest.range_start) if t.newest else ""),
        Cell.of(fmt.size(t.table_bytes)), Cell.of(fmt.size(t.index_bytes)), Cell.of(fmt.size(t.toast_bytes)),
    )) for t in result.rows)
    notes = tuple(Cell.of(f"{t.name}: {s.chunk.chunk_name} is {s.factor:.1f}x the median of its siblings", Style.WARN)
                  for t in result.rows for s in t.skewed)
    skew = f" · {summary.skewed_chunks} skewed chunks" if summary.skewed_chunks else ""
    line = f"{summary.chunks} chunks in {summary.hypertables} tables · {fmt.size(summary.total_bytes)}{skew}"
    cached = summary.chunks - summary.measured_now - summary.estimated_chunks
    if cached > 0 and summary.oldest_measurement is not None:
        age = fmt.short_duration(summary.measured_at - summary.oldest_measurement)
        line += f" · {cached} cold sizes up to {age} old"
    if summary.estimated_chunks:
        notes = (Cell.of(f"{summary.estimated_chunks} chunk sizes are pg_class estimates until measured (a few "
                         "each refresh)", Style.DIM), *notes)
    chart = BarChart("MiB per hypertable", [t.name for t in result.rows],
                     [t.total_bytes / 2**20 for t in result.rows])
    return PaneView(NAME, TITLE, result.status.value, COLUMNS, rows, line, None, notes, chart, result.elapsed_ms)


PANE = Pane(NAME, TITLE, lambda conn, info, options: chunk_sizes(conn, info, timeout_ms=options.timeout_for(NAME),
                                                                 cache=options.sizes), view)
