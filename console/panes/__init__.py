"""The console's five panes as services: chunk sizes, compression ratios, background jobs, retention windows and
cost per model. Each takes a connection and the ServerInfo and returns a PaneResult (status ok / empty /
unavailable / timeout, typed rows, a summary, elapsed ms); `refresh_all` runs them in order on one connection
(what `obsconsole snapshot`, the TUI and benchmarks call). Every query reads catalogs, size/stats functions or
continuous aggregates (queries/panes/*.sql): none scans a raw hypertable."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from console.infra.server import ServerInfo
from console.panes.chunks import ChunkSize, ChunkSummary, HypertableChunks, SkewedChunk, chunk_sizes
from console.panes.common import DEFAULT_TIMEOUT_MS, Conn, PaneResult, PaneStatus
from console.panes.compression import (
    ChunkCompression,
    CompressionSummary,
    HypertableCompression,
    compression,
)
from console.panes.cost import (
    CostFreshness,
    CostPoint,
    CostSummary,
    CostWindow,
    ModelCost,
    cost_per_model,
    parse_window,
)
from console.panes.jobs import DEFAULT_GRACE, Job, JobError, JobSummary, jobs
from console.panes.retention import OverdueChunk, RetentionSummary, RetentionWindow, retention

PANES = ("chunks", "compression", "jobs", "retention", "cost")


@dataclass(frozen=True)
class PaneOptions:
    """Options for `refresh_all`: the cost window, the jobs pane's grace, and per-pane statement timeouts (ms,
    by pane name; `timeout_ms` for the others)."""

    window: CostWindow = field(default_factory=CostWindow)
    grace: timedelta = DEFAULT_GRACE
    timeout_ms: int = DEFAULT_TIMEOUT_MS
    timeouts: Mapping[str, int] = field(default_factory=dict)

    def timeout_for(self, pane: str) -> int:
        return self.timeouts.get(pane, self.timeout_ms)


@dataclass(frozen=True)
class Snapshot:
    """The panes asked for, in PANES order, each with its own status and elapsed_ms, and the total time."""

    info: ServerInfo
    panes: list[PaneResult[Any, Any]]
    elapsed_ms: float

    def pane(self, name: str) -> PaneResult[Any, Any] | None:
        return next((p for p in self.panes if p.pane == name), None)


_RUNNERS: dict[str, Callable[[Conn, ServerInfo, PaneOptions], PaneResult[Any, Any]]] = {
    "chunks": lambda conn, info, o: chunk_sizes(conn, info, timeout_ms=o.timeout_for("chunks")),
    "compression": lambda conn, info, o: compression(conn, info, timeout_ms=o.timeout_for("compression")),
    "jobs": lambda conn, info, o: jobs(conn, info, timeout_ms=o.timeout_for("jobs"), grace=o.grace),
    "retention": lambda conn, info, o: retention(conn, info, timeout_ms=o.timeout_for("retention")),
    "cost": lambda conn, info, o: cost_per_model(conn, info, o.window, timeout_ms=o.timeout_for("cost")),
}


def select_panes(only: Iterable[str] | None) -> tuple[str, ...]:
    """The panes named in `only` (all when None), in PANES order. ValueError for an unknown name."""
    if only is None:
        return PANES
    wanted = set(only)
    unknown = wanted - set(PANES)
    if unknown:
        raise ValueError(f"unknown pane {', '.join(sorted(unknown))} (choose from {', '.join(PANES)})")
    return tuple(p for p in PANES if p in wanted)


def refresh_all(
    conn: Conn, info: ServerInfo, options: PaneOptions | None = None, *, only: Iterable[str] | None = None
) -> Snapshot:
    """Run the panes (all five, or those named in `only`) one after another on `conn` (autocommit, idle).
    A pane the server cannot provide, or one that times out, says so in its status; the others still run."""
    chosen = select_panes(only)
    opts = options or PaneOptions()
    started = time.perf_counter()
    results = [_RUNNERS[name](conn, info, opts) for name in chosen]
    return Snapshot(info, results, (time.perf_counter() - started) * 1000)


__all__ = [
    "PANES",
    "ChunkCompression",
    "ChunkSize",
    "ChunkSummary",
    "CompressionSummary",
    "CostFreshness",
    "CostPoint",
    "CostSummary",
    "CostWindow",
    "HypertableChunks",
    "HypertableCompression",
    "Job",
    "JobError",
    "JobSummary",
    "ModelCost",
    "OverdueChunk",
    "PaneOptions",
    "PaneResult",
    "PaneStatus",
    "RetentionSummary",
    "RetentionWindow",
    "SkewedChunk",
    "Snapshot",
    "chunk_sizes",
    "compression",
    "cost_per_model",
    "jobs",
    "parse_window",
    "refresh_all",
    "retention",
    "select_panes",
]
