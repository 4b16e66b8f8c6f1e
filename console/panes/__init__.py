"""The console's five panes, each one typed unit (console/panes/<name>.py: its queries and version choice,
`fetch` -> typed PaneResult, `view` -> presentation-neutral PaneView), and the one registry that feeds
`refresh_all`, `obsconsole snapshot` (text and JSON) and the dashboard. Every query reads catalogs, size/stats
functions or continuous aggregates (queries/panes/*.sql): none scans a raw hypertable."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from console.infra import clock
from console.infra.db import Conn
from console.infra.server import ServerInfo
from console.panes import chunks, compression, cost, jobs, retention
from console.panes.chunks import ChunkSize, ChunkSummary, HypertableChunks, SkewedChunk, chunk_sizes
from console.panes.common import DEFAULT_TIMEOUT_MS, Pane, PaneOptions, PaneResult, PaneStatus, Refreshed
from console.panes.compression import ChunkCompression, CompressionSummary, HypertableCompression
from console.panes.cost import CostFreshness, CostPoint, CostSummary, ModelCost, cost_per_model
from console.panes.jobs import DEFAULT_GRACE, Job, JobError, JobSummary
from console.panes.retention import OverdueChunk, RetentionSummary, RetentionWindow
from console.panes.view import PaneView
from console.panes.window import CostWindow, parse_window

REGISTRY: tuple[Pane[Any, Any], ...] = (chunks.PANE, compression.PANE, jobs.PANE, retention.PANE, cost.PANE)
PANES = tuple(p.name for p in REGISTRY)


@dataclass(frozen=True)
class Snapshot:
    """The panes asked for, in registry order, each with its typed result and its view, and the total time."""

    info: ServerInfo
    refreshed: list[Refreshed]
    elapsed_ms: float

    @property
    def panes(self) -> list[PaneResult[Any, Any]]:
        return [r.result for r in self.refreshed]

    @property
    def views(self) -> list[PaneView]:
        return [r.view for r in self.refreshed]

    def pane(self, name: str) -> PaneResult[Any, Any] | None:
        return next((r.result for r in self.refreshed if r.result.pane == name), None)


def select_panes(only: Iterable[str] | None) -> tuple[str, ...]:
    """The panes named in `only` (all when None), in registry order. ValueError for an unknown name."""
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
    chosen = set(select_panes(only))
    opts = options or PaneOptions()
    if opts.cache:
        opts.cache.catalog.begin_refresh()  # the catalog's version is asked once per refresh, by the first pane
    started = clock.counter()
    refreshed = [pane.refresh(conn, info, opts) for pane in REGISTRY if pane.name in chosen]
    return Snapshot(info, refreshed, clock.elapsed_ms(started))


__all__ = [
    "DEFAULT_GRACE",
    "DEFAULT_TIMEOUT_MS",
    "PANES",
    "REGISTRY",
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
    "PaneView",
    "RetentionSummary",
    "RetentionWindow",
    "SkewedChunk",
    "Snapshot",
    "chunk_sizes",
    "cost_per_model",
    "parse_window",
    "refresh_all",
    "select_panes",
]
