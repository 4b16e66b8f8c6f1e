"""`replay --diff T1 T2`: what changed between two recorded moments. Chunks created, dropped, compressed and
decompressed per hypertable are the sums of the events recorded in between (each one the difference of two
consecutive snapshots, so a chunk created and another dropped between T1 and T2 both count); compression
ratios, failing jobs, overdue retention and cost per model compare the two snapshots."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from console.recording.model import Event, Kind, Stored

_CHUNK_KINDS = {Kind.CHUNKS_CREATED: "created", Kind.CHUNKS_DROPPED: "dropped",
                Kind.CHUNKS_COMPRESSED: "compressed", Kind.CHUNKS_DECOMPRESSED: "decompressed"}


@dataclass(frozen=True)
class ChunkChange:
    hypertable: str
    chunks_before: int | None
    chunks_after: int | None
    created: int = 0
    dropped: int = 0
    compressed: int = 0
    decompressed: int = 0


@dataclass(frozen=True)
class RatioChange:
    hypertable: str
    before: float | None
    after: float | None


@dataclass(frozen=True)
class FailingJob:
    job_id: int
    name: str
    consecutive_failures: int
    message: str | None


@dataclass(frozen=True)
class OverdueChange:
    object: str
    overdue_before: int
    overdue_after: int


@dataclass(frozen=True)
class CostChange:
    model: str
    before_usd: Decimal | None
    after_usd: Decimal | None


@dataclass(frozen=True)
class Diff:
    """Between the snapshots recorded at `first` and `second` (at or before the moments asked)."""

    first: datetime
    second: datetime
    chunks: list[ChunkChange] = field(default_factory=list)
    compression: list[RatioChange] = field(default_factory=list)
    overall_ratio: tuple[float | None, float | None] = (None, None)
    jobs_newly_failing: list[FailingJob] = field(default_factory=list)
    retention_overdue: list[OverdueChange] = field(default_factory=list)
    cost: list[CostChange] = field(default_factory=list)
    events: int = 0


def diff(first: datetime, before: Stored, second: datetime, after: Stored, between: list[Event]) -> Diff:
    return Diff(first, second, _chunks(before, after, between), _ratios(before, after), _overall(before, after),
                _failing(before, after), _overdue(before, after), _cost(before, after), len(between))


def _counts(stored: Stored) -> dict[str, int]:
    pane = stored.panes.chunks
    return {f"{h.schema}.{h.name}": h.chunk_count for h in pane.rows} if pane else {}


def _chunks(before: Stored, after: Stored, between: list[Event]) -> list[ChunkChange]:
    moved: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for event in between:
        if event.kind in _CHUNK_KINDS:
            moved[event.subject][_CHUNK_KINDS[event.kind]] += event.count
    old, new = _counts(before), _counts(after)
    return [ChunkChange(name, old.get(name), new.get(name), **moved.get(name, {}))
            for name in sorted(old.keys() | new.keys())]


def _ratio_map(stored: Stored) -> dict[str, float | None]:
    pane = stored.panes.compression
    return {f"{h.schema}.{h.name}": h.ratio for h in pane.rows} if pane else {}


def _ratios(before: Stored, after: Stored) -> list[RatioChange]:
    old, new = _ratio_map(before), _ratio_map(after)
    return [RatioChange(name, old.get(name), new.get(name)) for name in sorted(old.keys() | new.keys())]


def _overall(before: Stored, after: Stored) -> tuple[float | None, float | None]:
    def ratio(stored: Stored) -> float | None:
        pane = stored.panes.compression
        return pane.summary.ratio if pane and pane.summary else None
    return ratio(before), ratio(after)


def _failing(before: Stored, after: Stored) -> list[FailingJob]:
    def failing(stored: Stored) -> set[int]:
        pane = stored.panes.jobs
        return {j.job_id for j in pane.rows if j.last_run_status == "Failed"} if pane else set()
    was = failing(before)
    pane = after.panes.jobs
    return [FailingJob(j.job_id, j.name, j.consecutive_failures, j.last_error.message if j.last_error else None)
            for j in (pane.rows if pane else []) if j.last_run_status == "Failed" and j.job_id not in was]


def _overdue(before: Stored, after: Stored) -> list[OverdueChange]:
    def overdue(stored: Stored) -> dict[str, int]:
        pane = stored.panes.retention
        return {f"{w.schema}.{w.name}": len(w.overdue) for w in pane.rows} if pane else {}
    old, new = overdue(before), overdue(after)
    return [OverdueChange(name, old.get(name, 0), new.get(name, 0)) for name in sorted(old.keys() | new.keys())
            if old.get(name, 0) or new.get(name, 0)]


def _cost(before: Stored, after: Stored) -> list[CostChange]:
    def costs(stored: Stored) -> dict[str, Decimal | None]:
        pane = stored.panes.cost
        return {f"{m.provider}/{m.model}": m.cost_usd for m in pane.rows} if pane else {}
    old, new = costs(before), costs(after)
    return [CostChange(name, old.get(name), new.get(name)) for name in sorted(old.keys() | new.keys())]
