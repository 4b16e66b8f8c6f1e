"""Retention pane: per hypertable and continuous aggregate, the retention window (drop_after), the oldest and
newest chunk ranges and the span kept, the next scheduled drop, the chunks already past drop_after (overdue),
the hot -> compressed -> dropped timeline, and findings (overlapping refresh windows, paused policies)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from console.infra import fmt
from console.infra.db import Conn
from console.infra.fmt import duration_words, interval_words
from console.infra.server import ServerInfo
from console.panes.catalog import objects
from console.panes.catalog.objects import CatalogCache, CatalogObject
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
from console.panes.rows import Row, fetch, object_identity
from console.panes.view import PaneView, StackedBarChart
from console.view import Align, Cell, Column, Style, ViewRow

NAME = "retention"
TITLE = "Retention windows"


@dataclass(frozen=True)
class OverdueChunk:
    """A chunk past its hypertable's drop_after that is still there."""

    chunk_name: str
    range_start: datetime | None
    range_end: datetime | None
    is_compressed: bool
    overdue_by: timedelta | None  # now - drop_after - range_end


@dataclass(frozen=True)
class RetentionWindow:
    """One hypertable or continuous aggregate and its data lifecycle."""

    schema: str
    name: str  # the hypertable, or the continuous aggregate's view name
    kind: str  # "hypertable" | "continuous aggregate"
    hypertable_schema: str
    hypertable_name: str
    source_name: str | None  # the raw hypertable a continuous aggregate reads
    retention_job_id: int | None
    retention_scheduled: bool
    drop_after: timedelta | None  # None: no retention policy, or integer time (see policy)
    compress_after: timedelta | None
    policy: str  # "drop after 90 days", "drop chunks created before 30 days", "no retention policy"
    timeline: str  # "hot 7 days -> compressed until 90 days -> dropped"
    next_drop: datetime | None  # the retention job's next start (None when unknown or not scheduled)
    chunk_count: int
    oldest_range_start: datetime | None
    oldest_range_end: datetime | None
    newest_range_start: datetime | None
    newest_range_end: datetime | None
    span: timedelta | None  # newest range_end - oldest range_start: the time covered by the chunks kept
    overdue: list[OverdueChunk] = field(default_factory=list)
    findings: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class RetentionSummary:
    """Counts over every hypertable and continuous aggregate."""

    objects: int
    with_policy: int
    overdue_chunks: int
    findings: int
    measured_at: datetime


def retention(
    conn: Conn, info: ServerInfo, *, timeout_ms: int = DEFAULT_TIMEOUT_MS, cache: CatalogCache | None = None
) -> PaneResult[RetentionWindow, RetentionSummary]:
    """The retention pane (both editions; without policies, as on Apache, everything is kept forever). With a
    `cache` (the dashboard's), the chunk catalog is re-read only when it changed."""
    reason = unavailable_reason(info, "retention windows", community=False)
    if reason:
        return unavailable(NAME, TITLE, reason)

    def body(conn: Conn) -> PaneData[RetentionWindow, RetentionSummary]:
        catalog = objects.read(conn, cache)
        windows = [_window(row, catalog.holding(row["hypertable_schema"], row["hypertable_name"]))
                   for row in fetch(conn, "panes/retention")]
        summary = RetentionSummary(
            objects=len(windows),
            with_policy=sum(w.retention_job_id is not None for w in windows),
            overdue_chunks=sum(len(w.overdue) for w in windows),
            findings=sum(len(w.findings) for w in windows),
            measured_at=catalog.now,
        )
        return PaneData(windows, summary, "no hypertables in this database")

    return run_pane(conn, NAME, TITLE, timeout_ms, body)


def _overdue(first: Row, table: CatalogObject | None) -> list[OverdueChunk]:
    """The chunks still there past the retention window: their range ended before now - drop_after, or they were
    created before now - drop_created_before (cutoffs from the server), in range order."""
    if table is None:
        return []
    late: dict[str, OverdueChunk] = {}
    cutoff, created_cutoff = first["drop_cutoff"], first["created_cutoff"]
    if cutoff is not None:
        for c in table.ended_before(cutoff):
            assert c.range_end is not None
            late[c.name] = OverdueChunk(c.name, c.range_start, c.range_end, c.is_compressed, cutoff - c.range_end)
    if created_cutoff is not None:
        for c in table.created_before(created_cutoff):
            assert c.created is not None
            late.setdefault(c.name, OverdueChunk(c.name, c.range_start, c.range_end, c.is_compressed,
                                                 created_cutoff - c.created))
    return sorted(late.values(), key=lambda c: (c.range_start is None, c.range_start or datetime.min, c.chunk_name))


def _window(first: Row, table: CatalogObject | None) -> RetentionWindow:
    oldest = table.oldest if table else None
    newest = table.newest if table else None
    overdue = _overdue(first, table)
    drop = interval_words(first["drop_after_text"])
    compress = interval_words(first["compress_after_text"])
    return RetentionWindow(
        **object_identity(first),
        source_name=first["source_name"],
        retention_job_id=first["retention_job_id"],
        retention_scheduled=first["retention_scheduled"],
        drop_after=first["drop_after"],
        compress_after=first["compress_after"],
        policy=_policy(first, drop),
        timeline=_timeline(compress, drop, interval_words(first["drop_created_before_text"])),
        next_drop=first["next_drop"],
        chunk_count=len(table.chunks) if table else 0,
        oldest_range_start=oldest.range_start if oldest else None,
        oldest_range_end=oldest.range_end if oldest else None,
        newest_range_start=newest.range_start if newest else None,
        newest_range_end=newest.range_end if newest else None,
        span=newest.range_end - oldest.range_start
        if oldest and newest and newest.range_end and oldest.range_start else None,
        overdue=overdue,
        findings=_findings(first, overdue, drop, compress),
    )


def _policy(row: Row, drop: str | None) -> str:
    if drop is not None:
        return f"drop after {drop}"
    if row["drop_created_before_text"] is not None:
        return f"drop chunks created before {interval_words(row['drop_created_before_text'])}"
    return "no retention policy"


def _timeline(compress: str | None, drop: str | None, drop_created: str | None) -> str:
    if drop is None and drop_created is not None:
        drop_part = f"dropped once created {drop_created} ago"
    else:
        drop_part = f"dropped after {drop}" if drop else "kept forever"
    if compress is None:
        return f"row store, {drop_part}"
    return f"hot {compress} -> compressed -> {drop_part}"


def _findings(row: Row, overdue: list[OverdueChunk], drop: str | None, compress: str | None) -> list[str]:
    found: list[str] = []
    if overdue:
        worst = max((c.overdue_by for c in overdue if c.overdue_by is not None), default=None)
        late = f", the oldest by {duration_words(worst)}" if worst is not None else ""
        found.append(f"{len(overdue)} chunk(s) past the retention window ({_policy(row, drop)}) are still "
                     f"there{late}: the retention job has not run or fails")
    if row["retention_job_id"] is not None and not row["retention_scheduled"]:
        found.append(f"the retention policy (job {row['retention_job_id']}) is paused")
    if row["drops_before_compressing"]:
        found.append(f"drop_after ({drop}) is not longer than compress_after ({compress}): "
                     "chunks are dropped before they are ever compressed")
    start = interval_words(row["refresh_start_offset_text"]) or "the beginning"
    if row["refresh_reaches_dropped_source"]:
        found.append(f"the refresh window (from {start}) reaches past {row['source_name']}'s drop_after "
                     f"({interval_words(row['source_drop_after_text'])}): a refresh deletes buckets whose raw "
                     "data is gone")
    if row["refresh_reaches_own_retention"]:
        found.append(f"the refresh window (from {start}) reaches past its own drop_after ({drop}): "
                     "dropped buckets are materialized again")
    return found


COLUMNS = (
    Column("table", 0, identifier=True),
    Column("policy", 0),
    Column("next drop", 0),
    Column("overdue", 0, Align.RIGHT),
    Column("kept", 1, Align.RIGHT),
    Column("chunks", 2, Align.RIGHT),
    Column("oldest", 3),
    Column("newest", 3),
    Column("timeline", 4),
)


def view(result: PaneResult[RetentionWindow, RetentionSummary]) -> PaneView:
    """Rows per table, overdue chunks and findings flagged, and the hot -> compressed -> dropped chart."""
    summary = result.summary
    if summary is None or not result.rows:
        return status_view(result, COLUMNS)
    rows = tuple(ViewRow(f"{w.schema}.{w.name}", (
        Cell.of(w.name + (" (cagg)" if w.kind == "continuous aggregate" else "")), Cell.of(w.policy),
        Cell.of(fmt.when_short(w.next_drop)), Cell.of(len(w.overdue), Style.BAD if w.overdue else Style.PLAIN),
        Cell.of(fmt.duration_words(w.span) if w.span is not None else ""), Cell.of(w.chunk_count),
        Cell.of(fmt.when(w.oldest_range_start)), Cell.of(fmt.when(w.newest_range_end)), Cell.of(w.timeline),
    )) for w in result.rows)
    notes = tuple(Cell.of(f"{w.name}: {finding}", Style.WARN) for w in result.rows for finding in w.findings)
    line = (f"{summary.with_policy}/{summary.objects} with a policy · {summary.overdue_chunks} chunks "
            f"overdue · {summary.findings} findings")
    charted = [w for w in result.rows if w.drop_after is not None]
    hot = [w.compress_after / timedelta(days=1) if w.compress_after else 0.0 for w in charted]
    kept = [(w.drop_after or timedelta(0)) / timedelta(days=1) - h for w, h in zip(charted, hot, strict=True)]
    chart = StackedBarChart("days: hot -> compressed -> dropped", [w.name for w in charted],
                            {"hot": hot, "compressed": kept})
    return PaneView(NAME, TITLE, result.status.value, COLUMNS, rows, line, None, notes, chart, result.elapsed_ms)


PANE = Pane(NAME, TITLE, lambda conn, info, options: retention(
    conn, info, timeout_ms=options.timeout_for(NAME), cache=options.cache.catalog if options.cache else None), view)
