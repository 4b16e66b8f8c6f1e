"""`bench --fleet N`: N clones of a migrated scratch database (CREATE DATABASE … TEMPLATE) on the target server,
watched by one FleetMonitor: the first (cold: connecting) refresh, then the refresh's p50/p95 over kept
connections, and the process's memory; everything dropped afterwards."""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from psycopg import sql

from console.bench import scratch
from console.bench.stats import Spread, spread
from console.fleet.probe import FleetMonitor
from console.fleet.targets import Target
from console.infra.db import connect, outside_transaction
from console.infra.dsn import ResolvedDsn
from console.infra.errors import ConsoleError
from console.infra.queries import query

Progress = Callable[[str], None]
MAX_FLEET = 1000


@dataclass(frozen=True)
class FleetBenchResult:
    """What `bench --fleet` measured."""

    target: str
    databases: int
    migrated: str
    concurrency: int
    clone_s: float
    cold_ms: float  # the first refresh: N connections opened
    refresh: Spread  # later refreshes over the kept connections (elapsed_ms)
    repeat: int
    reachable: int
    rss_mib: float  # resident memory after the refreshes
    peak_rss_mib: float  # the process's high-water mark


def _memory() -> tuple[float, float]:
    """(VmRSS, VmHWM) of this process in MiB."""
    fields = dict(line.split(":", 1) for line in Path("/proc/self/status").read_text().splitlines() if ":" in line)
    return int(fields["VmRSS"].split()[0]) / 1024, int(fields["VmHWM"].split()[0]) / 1024


@contextlib.contextmanager
def clones(target: ResolvedDsn, count: int,
           progress: Progress = lambda _m: None) -> Iterator[tuple[str, list[ResolvedDsn]]]:
    """`count` databases cloned from one migrated scratch database (with how far it is migrated); all dropped on
    every path."""
    with scratch.scratch(target, progress) as source:
        if source.kind != "database":
            raise ConsoleError("bench --fleet needs a server with many databases (the native engine); this engine "
                               "serves one: nothing was left behind")
        names = [f"{source.name}_{i:04d}" for i in range(count)]
        made: list[str] = []
        try:
            with connect(target, read_only=False, timeouts=scratch.SCRATCH_TIMEOUTS) as admin:
                with outside_transaction(admin):
                    admin.execute(sql.SQL(query("bench/fleet_seal")).format(name=sql.Identifier(source.name)))
                admin.execute(query("bench/fleet_evict"), {"name": source.name})
                progress(f"cloning {count} databases from {source.name} ...")
                for name in names:
                    with outside_transaction(admin):
                        admin.execute(sql.SQL(query("bench/fleet_clone")).format(
                            name=sql.Identifier(name), source=sql.Identifier(source.name)))
                    made.append(name)
            migrated = source.edition_note or f"migrated to {source.migrated_to:03d}"
            yield migrated, [scratch.with_database(target, name) for name in names]
        finally:
            with connect(target, read_only=False, timeouts=scratch.SCRATCH_TIMEOUTS) as admin:
                for name in made:
                    with outside_transaction(admin):
                        admin.execute(sql.SQL(query("bench/scratch_drop_database")).format(
                            name=sql.Identifier(name)))


def bench_fleet(target: ResolvedDsn, count: int, *, repeat: int = 20, concurrency: int = 16,
                progress: Progress = lambda _m: None) -> FleetBenchResult:
    """Clone, watch, measure, drop."""
    if not 1 <= count <= MAX_FLEET:
        raise ConsoleError(f"--fleet takes 1 to {MAX_FLEET} databases (got {count}); nothing was done")
    started = time.perf_counter()
    with clones(target, count, progress) as (migrated, dsns):
        clone_s = time.perf_counter() - started
        targets = [Target(f"clone{i:04d}", dsn) for i, dsn in enumerate(dsns)]
        progress(f"refreshing {count} databases {repeat + 1} times ...")
        with FleetMonitor(targets, concurrency=concurrency, timeout_s=10) as monitor:
            cold = monitor.refresh()
            runs = [monitor.refresh() for _ in range(repeat)]
            rss, peak = _memory()
        reachable = min(sum(d.reachable for d in r.databases) for r in [cold, *runs])
    return FleetBenchResult(target.masked, count, migrated, concurrency, clone_s, cold.elapsed_ms,
                            spread([r.elapsed_ms for r in runs]), repeat, reachable, rss, peak)

