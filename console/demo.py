"""`obsconsole demo`: an embedded engine made ready for the console — migrated as far as its edition allows
and seeded with traffic — then handed to the caller, who opens the console and stops the engine."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from console import engines
from console.doctor import diagnose
from console.engines import RunningEngine
from console.infra.dsn import ResolvedDsn
from console.infra.resources import MIGRATIONS_DIR
from console.migrator import files, runner
from console.migrator.features import community_features
from console.seed.service import Reporter, SeedOptions, SeedResult, seed

Progress = Callable[[str], None]


@dataclass(frozen=True)
class DemoDatabase:
    """A ready engine and what was done to it."""

    engine: RunningEngine
    target: ResolvedDsn
    migrated_to: int
    seeded: SeedResult


def prepare(kind: str, *, days: int, progress: Progress, reporter: Reporter, keep: bool) -> DemoDatabase:
    """Start the `kind` engine, migrate, seed `days` of traffic (refreshing the aggregates and running the
    policies on Community). The engine is stopped again if any step fails."""
    progress(f"starting the {kind} engine …")
    engine = engines.start(kind, detached=keep)
    try:
        target = ResolvedDsn(engine.dsn, f"{kind} engine")
        info = diagnose(target).info
        local = files.load(MIGRATIONS_DIR)
        to = None
        if not info.community:
            runnable = [m.version for m in local if not community_features(m.sql)]
            blocked = next(m for m in local if community_features(m.sql))
            to = max(v for v in runnable if v < blocked.version)
            progress(f"{info.edition} edition: applying migrations up to {to:03d}; {blocked.label} and later need "
                     "TimescaleDB Community (aggregates, compression and cost panes will say unavailable)")
        result = runner.migrate(target, to=to, progress=progress)
        progress(f"migrated: {len(result.applied)} migration(s) applied")
        seeded = seed(target, SeedOptions(days=days), reporter)
        return DemoDatabase(engine, target, to or local[-1].version, seeded)
    except BaseException:
        engine.stop()
        raise
