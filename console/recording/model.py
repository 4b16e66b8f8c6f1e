"""What a recording holds: each snapshot's typed pane results and server facts, the events between snapshots, and
what `replay --info` says about a file."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

from console.infra.server import ServerInfo
from console.panes import (
    REGISTRY,
    ChunkSummary,
    CompressionSummary,
    CostSummary,
    HypertableChunks,
    HypertableCompression,
    Job,
    JobSummary,
    ModelCost,
    PaneResult,
    RetentionSummary,
    RetentionWindow,
    Snapshot,
)
from console.panes.common import Refreshed


@dataclass(frozen=True)
class Migration:
    """One applied migration as the ledger lists it."""

    version: int
    description: str
    installed_on: datetime
    success: bool


@dataclass(frozen=True)
class JobRun:
    """One run from TimescaleDB's job history (2.15+: failures always, successes when logging is on)."""

    job_id: int
    started_at: datetime
    succeeded: bool
    message: str | None


@dataclass(frozen=True)
class Facts:
    """What the recorder reads besides the panes: the migration ledger, the verify statuses (check id -> status,
    None when not run for this snapshot) and the job runs logged since the previous snapshot."""

    endpoint: str
    migrations: list[Migration] = field(default_factory=list)
    verify: dict[str, str] | None = None
    job_runs: list[JobRun] = field(default_factory=list)


@dataclass(frozen=True)
class Panes:
    """The five panes' typed results, each None when not recorded."""

    chunks: PaneResult[HypertableChunks, ChunkSummary] | None = None
    compression: PaneResult[HypertableCompression, CompressionSummary] | None = None
    jobs: PaneResult[Job, JobSummary] | None = None
    retention: PaneResult[RetentionWindow, RetentionSummary] | None = None
    cost: PaneResult[ModelCost, CostSummary] | None = None


@dataclass(frozen=True)
class Stored:
    """One snapshot as the file keeps it (encoded with msgspec, compressed with zstd)."""

    info: ServerInfo
    panes: Panes
    facts: Facts
    elapsed_ms: float

    @classmethod
    def of(cls, snapshot: Snapshot, facts: Facts) -> Stored:
        by_name: dict[str, Any] = {r.result.pane: r.result for r in snapshot.refreshed}
        return cls(snapshot.info, Panes(**by_name), facts, snapshot.elapsed_ms)

    def snapshot(self) -> Snapshot:
        """The live console's Snapshot again: each pane's view model built from its typed result by the pane's
        own `view`, as the dashboard builds it."""
        refreshed = [Refreshed(result, pane.view(result)) for pane in REGISTRY
                     if (result := getattr(self.panes, pane.name)) is not None]
        return Snapshot(self.info, refreshed, self.elapsed_ms)


class Kind(StrEnum):
    """What an event is about."""

    CHUNKS_CREATED = "chunks created"
    CHUNKS_DROPPED = "chunks dropped"
    CHUNKS_COMPRESSED = "chunks compressed"
    CHUNKS_DECOMPRESSED = "chunks decompressed"
    JOB_RUN = "job run"
    JOB_FAILED = "job failed"
    MIGRATION = "migration applied"
    VERIFY = "verify changed"
    ACTION = "operator action"
    OUTAGE = "outage"
    RECONNECTED = "reconnected"


@dataclass(frozen=True)
class Event:
    """Something that happened at `at` (UTC): its kind, what it is about, and a line for a person."""

    at: datetime
    kind: Kind
    subject: str
    detail: str
    count: int = 1


@dataclass(frozen=True)
class Frame:
    """One recorded moment: a snapshot, or an outage (`error` says why the server could not be read)."""

    at: datetime
    stored: Stored | None
    error: str | None = None


@dataclass(frozen=True)
class RecordingInfo:
    """`replay --info`: the span, the number of snapshots and outages, the file's size and the server."""

    path: str
    first: datetime
    last: datetime
    snapshots: int
    outages: int
    bytes: int
    server: str
    schema_version: int
    dictionaries: int
