"""What the fleet knows about each database, and how bad it is: findings judged as verify's health checks judge
them (H01 jobs, H02 aggregates, H03 compression, H04 retention), and the databases ranked worst first."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from enum import IntEnum

REPLAY_LAG_WARN_S = 300.0  # a standby further behind than this is a finding


class Level(IntEnum):
    """How bad a finding is; higher is worse (the fleet sorts on it)."""

    OK = 0
    WARN = 1
    FAIL = 2
    UNREACHABLE = 3

    @property
    def label(self) -> str:
        return self.name


@dataclass(frozen=True)
class Finding:
    level: Level
    text: str


@dataclass(frozen=True)
class ModelCost:
    """Cost of one provider/model: the last 24 h and the latest materialized hour (None: no priced span)."""

    provider: str
    model: str
    cost_24h_usd: Decimal | None
    last_hour_usd: Decimal | None


@dataclass(frozen=True)
class DatabaseStatus:
    """One database of the fleet as the last refresh saw it. Figures are None where they could not be read
    (unreachable, TimescaleDB missing, a feature the edition lacks)."""

    name: str
    tags: tuple[str, ...]
    target: str  # the DSN (or service) without its password
    reachable: bool
    unreachable_since: datetime | None = None
    error: str | None = None
    role: str | None = None  # primary | standby
    replay_lag_seconds: float | None = None
    postgres_version: str | None = None
    timescaledb_version: str | None = None
    edition: str | None = None  # community | apache | none
    jobs: int | None = None
    failing_jobs: int | None = None
    overdue_jobs: int | None = None
    job_failures_total: int | None = None
    compression_backlog: int | None = None
    compression_ratio: float | None = None
    retention_overdue: int | None = None
    aggregates: int | None = None
    late_aggregates: int | None = None
    aggregate_lag_seconds: float | None = None  # the most lagging aggregate's
    chunks: int | None = None
    compressed_chunks: int | None = None
    chunk_bytes: int | None = None
    growth_bytes_per_day: float | None = None
    cost_24h_usd: Decimal | None = None
    costs: tuple[ModelCost, ...] = ()
    findings: tuple[Finding, ...] = ()
    elapsed_ms: float = 0.0

    @property
    def worst(self) -> Finding:
        if not self.findings:
            return Finding(Level.OK, "healthy")
        return max(self.findings, key=lambda f: f.level)

    def matches(self, text: str) -> bool:
        """Whether `text` is in the name or a tag (the screen's `/` filter), case-insensitively."""
        needle = text.strip().lower()
        return not needle or needle in self.name.lower() or any(needle in t.lower() for t in self.tags)


@dataclass(frozen=True)
class FleetReport:
    """One refresh of the whole fleet: databases worst first, the input's problems, the wall time."""

    databases: list[DatabaseStatus]
    problems: list[str]
    elapsed_ms: float
    refreshed_at: datetime
    concurrency: int = 0

    @property
    def exit_code(self) -> int:
        """1 when any database is unreachable or has a FAIL-level finding (or the input had a problem), else 0."""
        bad = any(d.worst.level >= Level.FAIL for d in self.databases)
        return 1 if bad or self.problems else 0


def worst_first(databases: list[DatabaseStatus]) -> list[DatabaseStatus]:
    return sorted(databases, key=lambda d: (-d.worst.level, d.name))


def as_dict(database: DatabaseStatus) -> dict[str, object]:
    """A database as JSON-ready data for `fleet --json`: every figure, the worst finding, all findings."""
    from console.infra.json_out import plain

    data = plain(database)
    assert isinstance(data, dict)
    data["worst_finding"] = {"level": database.worst.level.label, "text": database.worst.text}
    data["findings"] = [{"level": f.level.label, "text": f.text} for f in database.findings]
    return data
