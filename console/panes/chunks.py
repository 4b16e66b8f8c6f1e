"""Chunk sizes pane: per hypertable (continuous aggregates' materialization hypertables included, labelled by
view name) chunk count and interval, bytes by kind, compressed vs uncompressed chunks, the newest and biggest
chunk, growth per day, and chunks far bigger than their siblings (skew)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from itertools import takewhile

from console.infra import fmt
from console.infra.db import Conn
from console.infra.server import ServerInfo
from console.panes.catalog import objects, sizes
from console.panes.catalog.cache import PaneCache
from console.panes.catalog.objects import CatalogChunk, Key
from console.panes.catalog.sizes import Measured
from console.panes.catalog.totals import TableTotals, Totals
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
from console.panes.view import BarChart, PaneView
from console.view import Align, Cell, Column, Style, ViewRow

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
    growth_days: float | None = None  # the days growth_bytes_per_day is counted over (under 7: the chunks start later)

    @property
    def estimated(self) -> bool:
        """Its byte figures count at least one pg_class estimate."""
        return self.estimated_chunks > 0


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


SizeOf = Callable[[Key], Measured | None]


def chunk_sizes(
    conn: Conn, info: ServerInfo, *, timeout_ms: int = DEFAULT_TIMEOUT_MS, skew_factor: float = SKEW_FACTOR,
    cache: PaneCache | None = None,
) -> PaneResult[HypertableChunks, ChunkSummary]:
    """The chunk sizes pane (both editions; TimescaleDB's catalog and relation sizes only). With a `cache` (the
    dashboard's), the catalog is re-read only when it changed, hot chunks are measured on every refresh and cold
    ones on a slower cadence; without, everything is read and measured now."""
    reason = unavailable_reason(info, "chunk sizes", community=False)
    if reason:
        return unavailable(NAME, TITLE, reason)

    def body(conn: Conn) -> PaneData[HypertableChunks, ChunkSummary]:
        catalog = objects.read(conn, cache.catalog if cache else None)
        size_of: SizeOf
        if cache is None:
            measured = sizes.measure(conn, [c.key for t in catalog.objects for c in t.chunks], catalog.now)
            totals, size_of, oldest = Totals(catalog.objects, measured), measured.get, catalog.now
        else:
            measured = cache.sizes.refresh(conn, catalog)
            totals = cache.totals.update(catalog.objects, cache.sizes.known, measured)
            size_of, oldest = cache.sizes.get, cache.sizes.oldest() or catalog.now
        tables = [_hypertable(t, skew_factor, size_of, catalog.now) for t in totals.tables]
        summary = ChunkSummary(
            hypertables=len(tables),
            chunks=sum(t.chunk_count for t in tables),
            total_bytes=sum(t.total_bytes for t in tables),
            skewed_chunks=sum(len(t.skewed) for t in tables),
            measured_at=catalog.now,
            measured_now=len(measured),
            estimated_chunks=sum(t.estimated_chunks for t in tables),
            oldest_measurement=oldest,
        )
        return PaneData(tables, summary, "no hypertables in this database")

    return run_pane(conn, NAME, TITLE, timeout_ms, body)


def _hypertable(totals: TableTotals, skew_factor: float, size_of: SizeOf, now: datetime) -> HypertableChunks:
    """One object's figures from its running totals (no pass over all its chunks)."""
    table = totals.table
    biggest = totals.biggest()
    growth = _growth_per_day(totals, now)
    return HypertableChunks(
        schema=table.schema, name=table.name, kind=table.kind,
        hypertable_schema=table.hypertable_schema, hypertable_name=table.hypertable_name,
        chunk_interval=table.chunk_interval,
        chunk_interval_integer=table.chunk_interval_integer,
        chunk_count=len(table.chunks),
        compressed_chunks=len(totals.in_state(True)),
        uncompressed_chunks=len(totals.in_state(False)),
        table_bytes=totals.table_bytes,
        index_bytes=totals.index_bytes,
        toast_bytes=totals.toast_bytes,
        total_bytes=totals.total_bytes,
        compressed_bytes=totals.state_bytes[True],
        uncompressed_bytes=totals.state_bytes[False],
        newest=_size(table.newest, totals, size_of) if table.newest else None,
        biggest=_size(biggest, totals, size_of) if biggest else None,
        growth_bytes_per_day=growth[0] if growth else None,
        growth_days=growth[1] if growth else None,
        skewed=_skewed(totals, True, skew_factor, size_of) + _skewed(totals, False, skew_factor, size_of),
        estimated_chunks=totals.estimated,
    )


def _size(chunk: CatalogChunk, totals: TableTotals, size_of: SizeOf) -> ChunkSize:
    """A chunk with its sizes (measured, or its pg_class estimate until measured)."""
    figures = totals.figures(chunk)
    size = size_of(chunk.key)
    return ChunkSize(
        chunk_schema=chunk.schema,
        chunk_name=chunk.name,
        range_start=chunk.range_start,
        range_end=chunk.range_end,
        is_compressed=chunk.is_compressed,
        table_bytes=figures.table_bytes,
        index_bytes=figures.index_bytes,
        toast_bytes=figures.toast_bytes,
        total_bytes=figures.total_bytes,
        measured_at=size.at if size else None,
    )


def _skewed(totals: TableTotals, compressed: bool, factor: float, size_of: SizeOf) -> list[SkewedChunk]:
    """Chunks bigger than `factor` x the median of siblings in the same compression state (compressed chunks
    are compared with compressed ones only: a fresh row-store chunk is always far bigger than a compressed one),
    in range order. The siblings' sizes are kept sorted: the median is read, the skewed ones are the top."""
    siblings = totals.in_state(compressed)
    count = len(siblings)
    if count < SKEW_MIN_CHUNKS:
        return []
    middle = count // 2
    median = siblings[middle][0] if count % 2 else (siblings[middle - 1][0] + siblings[middle][0]) / 2
    if median <= 0:
        return []
    top = list(takewhile(lambda s: s[0] > factor * median, reversed(siblings)))
    return [SkewedChunk(_size(totals.chunk_at(s), totals, size_of), float(median), s[0] / median)
            for s in sorted(top, key=lambda s: -s[1])]


def _growth_per_day(totals: TableTotals, now: datetime) -> tuple[float, float] | None:
    """Bytes added per day over the last 7 days (or since the oldest chunk, if younger), and the days counted
    over. A chunk counts with the share of its elapsed range inside the window (its rows assumed spread evenly);
    a chunk entirely in the future counts whole. None for integer-time hypertables or without chunks."""
    table = totals.table
    if table.oldest is None or table.oldest.range_start is None:
        return None
    window_start = max(now - GROWTH_WINDOW, table.oldest.range_start)
    days = max((now - window_start) / timedelta(days=1), 1 / 24)
    grown = 0.0
    for chunk in table.ending_after(window_start):  # ranges ending in the window (or later)
        start, end = chunk.range_start, chunk.range_end
        assert start is not None and end is not None
        size = totals.figures(chunk).total_bytes
        elapsed_end = min(end, now)
        if elapsed_end <= start:
            grown += size
        else:
            grown += size * ((elapsed_end - max(start, window_start)) / (elapsed_end - start))
    return grown / days, days


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


def estimated(text: str, is_estimate: bool) -> Cell:
    """A figure that counts a pg_class estimate (a chunk not measured yet) is marked `~`."""
    return Cell.of(f"~{text}", Style.DIM) if is_estimate else Cell.of(text)


def growth_text(table: HypertableChunks) -> str:
    """'1.2 MiB', or '1.2 MiB (3.5 d)' when the chunks cover less than the growth window."""
    if table.growth_bytes_per_day is None:
        return ""
    text = fmt.size(round(table.growth_bytes_per_day))
    if table.growth_days is not None and table.growth_days < GROWTH_WINDOW / timedelta(days=1):
        text += f" ({table.growth_days:.1f} d)"
    return text


def view(result: PaneResult[HypertableChunks, ChunkSummary]) -> PaneView:
    """Rows per hypertable, skewed chunks flagged, figures counting an estimate marked `~`, and a bar chart of
    sizes."""
    summary = result.summary
    if summary is None or not result.rows:
        return status_view(result, COLUMNS)
    rows = tuple(ViewRow(f"{t.schema}.{t.name}", (
        Cell.of(label(t.name, t.kind)), Cell.of(t.chunk_count), estimated(fmt.size(t.total_bytes), t.estimated),
        Cell.of(f"{t.compressed_chunks}/{t.chunk_count}"),
        Cell.of(f"{len(t.skewed)} skewed", Style.WARN) if t.skewed else Cell.of(""),
        Cell.of(interval_text(t)),
        estimated(growth_text(t), t.estimated and t.growth_bytes_per_day is not None),
        estimated(f"{t.biggest.chunk_name} {fmt.size(t.biggest.total_bytes)}", t.biggest.measured_at is None)
        if t.biggest else Cell.of(""),
        Cell.of(fmt.when(t.newest.range_start) if t.newest else ""),
        estimated(fmt.size(t.table_bytes), t.estimated), estimated(fmt.size(t.index_bytes), t.estimated),
        estimated(fmt.size(t.toast_bytes), t.estimated),
    )) for t in result.rows)
    notes = tuple(Cell.of(f"{t.name}: {s.chunk.chunk_name} is {s.factor:.1f}x the median of its siblings", Style.WARN)
                  for t in result.rows for s in t.skewed)
    skew = f" · {summary.skewed_chunks} skewed chunks" if summary.skewed_chunks else ""
    total = fmt.size(summary.total_bytes)
    if summary.estimated_chunks:  # first in the line: the subtitle is cut at its end on a narrow screen
        total = f"~{total} ({summary.estimated_chunks} ~ estimated)"
    line = f"{summary.chunks} chunks in {summary.hypertables} tables · {total}{skew}"
    cached = summary.chunks - summary.measured_now - summary.estimated_chunks
    if cached > 0 and summary.oldest_measurement is not None:
        age = fmt.short_duration(summary.measured_at - summary.oldest_measurement)
        line += f" · {cached} cold sizes up to {age} old"
    partial = [t for t in result.rows if t.growth_days is not None and t.growth_days < GROWTH_WINDOW.days]
    if partial:
        notes = (Cell.of("growth/day over less than 7 days where the chunks start later: "
                         + ", ".join(f"{t.name} {t.growth_days:.1f} d" for t in partial), Style.DIM), *notes)
    if summary.estimated_chunks:
        notes = (Cell.of(f"~ {summary.estimated_chunks} chunk sizes are pg_class estimates until measured (a few "
                         "each refresh)", Style.DIM), *notes)
    chart = BarChart("MiB per hypertable", [t.name for t in result.rows],
                     [t.total_bytes / 2**20 for t in result.rows])
    return PaneView(NAME, TITLE, result.status.value, COLUMNS, rows, line, None, notes, chart, result.elapsed_ms)


PANE = Pane(NAME, TITLE, lambda conn, info, options: chunk_sizes(conn, info, timeout_ms=options.timeout_for(NAME),
                                                                 cache=options.cache), view)
