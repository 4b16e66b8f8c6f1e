"""`bench --fleet N`: N clones of a migrated scratch database (CREATE DATABASE … TEMPLATE) on the target server,
watched by one FleetMonitor: the first (cold: connecting) refresh, then the refresh's p50/p95 over kept
connections, and the process's memory; everything dropped afterwards.

Where the time goes, since wall time on a shared machine says little alone: the CPU of this process (connecting,
SCRAM included, and the event loop) and, where the server runs on this machine, of its backends (from
/proc/<pid>/schedstat, over their whole life: start-up, TimescaleDB's library loaded on the first statement, every
statement) and of the postmaster (forking them); and, as a phase of its own before the refreshes, N bare
connections opened and closed at the same concurrency (what connecting alone costs; the first connection to each
new clone)."""

from __future__ import annotations

import asyncio
import contextlib
import statistics
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import psycopg
from psycopg import sql

from console.bench import scratch
from console.bench.cpu import LOCAL_HOSTS, listener_pid, run_time_ms, unmeasurable
from console.bench.stats import Spread, spread
from console.fleet.probe import FleetMonitor
from console.fleet.targets import Target
from console.infra.db import APPLICATION_NAME, connect, outside_transaction
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
    cold_cpu: Cpu  # the cold refresh
    refresh_cpu: Cpu  # one later refresh (medians)
    connect: ConnectPhase  # N bare connections alone (the first ones to the new clones), before the refreshes
    server_cpu: str  # how the server's CPU was read, or why it could not be


@dataclass(frozen=True)
class Cpu:
    """CPU milliseconds: this process, and the server's backends and postmaster (None: not on this machine)."""

    client_ms: float
    backends_ms: float | None
    postmaster_ms: float | None


@dataclass(frozen=True)
class ConnectPhase:
    """N connections opened (and closed) at the bench's concurrency, nothing run on them."""

    wall_ms: float
    cpu: Cpu


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
        postmaster, how = _postmaster(dsns[0])
        # Connecting alone, first: the first connection to a brand-new database also writes its relcache init
        # file, which no database in service has left to do; the cold refresh then opens new connections to
        # databases that have been connected to before, as `fleet --json` from cron does.
        progress(f"opening {count} bare connections ...")
        phase = asyncio.run(_connect_only(dsns, concurrency, postmaster))
        progress(f"refreshing {count} databases {repeat + 1} times ...")
        with FleetMonitor(targets, concurrency=concurrency, timeout_s=10) as monitor:
            before = _cpu_now([], postmaster)
            cold = monitor.refresh()
            pids = [pid for pid in monitor.server_pids() if postmaster is not None and unmeasurable(pid) is None]
            cold_cpu = _cpu_since(before, _cpu_now(pids, postmaster), from_start=True)
            runs, cpus = [], []
            for _ in range(repeat):
                before = _cpu_now(pids, postmaster)
                runs.append(monitor.refresh())
                cpus.append(_cpu_since(before, _cpu_now(pids, postmaster)))
            rss, peak = _memory()
        reachable = min(sum(d.reachable for d in r.databases) for r in [cold, *runs])
    return FleetBenchResult(target.masked, count, migrated, concurrency, clone_s, cold.elapsed_ms,
                            spread([r.elapsed_ms for r in runs]), repeat, reachable, rss, peak, cold_cpu,
                            _median(cpus), phase, how)


_Sample = tuple[float, dict[int, float], float | None]  # process CPU, each backend's run time, the postmaster's


def _postmaster(dsn: ResolvedDsn) -> tuple[int | None, str]:
    """The server's postmaster when it runs on this machine (the process listening on its port, the parent of our
    backends), and how its CPU is read — or None and why not."""
    with connect(dsn, timeouts=scratch.SCRATCH_TIMEOUTS) as conn:  # the backend is looked at while it lives
        host, port, backend = conn.info.host or "", conn.info.port, conn.info.backend_pid
        if not (host in LOCAL_HOSTS or host.startswith("/")):
            return None, f"server CPU: n/a (the server, {host}, is not on this machine)"
        why = unmeasurable(backend) if backend > 0 else "the server has no backend processes (pg_backend_pid() = 0)"
    pid = listener_pid(port) if why is None else None
    if pid is None or run_time_ms(pid) is None:
        return None, f"server CPU: n/a ({why or 'its postmaster is not visible in /proc'})"
    return pid, "server CPU: its backends' and postmaster's run time from /proc/<pid>/schedstat"


def _cpu_now(pids: list[int], postmaster: int | None) -> _Sample:
    times = {pid: t for pid in pids if (t := run_time_ms(pid)) is not None}
    return time.process_time() * 1000, times, run_time_ms(postmaster) if postmaster is not None else None


def _cpu_since(before: _Sample, after: _Sample, *, from_start: bool = False) -> Cpu:
    """CPU between two samples; `from_start`: the backends are new since `before`, count their whole life."""
    if after[2] is None or before[2] is None:
        return Cpu(after[0] - before[0], None, None)
    backends = sum(t - (0.0 if from_start else before[1].get(pid, t)) for pid, t in after[1].items())
    return Cpu(after[0] - before[0], backends, after[2] - before[2])


def _median(cpus: list[Cpu]) -> Cpu:
    def mid(values: list[float | None]) -> float | None:
        known = [v for v in values if v is not None]
        return statistics.median(known) if known and len(known) == len(values) else None

    return Cpu(statistics.median([c.client_ms for c in cpus]) if cpus else 0.0,
               mid([c.backends_ms for c in cpus]), mid([c.postmaster_ms for c in cpus]))


async def _connect_only(dsns: list[ResolvedDsn], concurrency: int, postmaster: int | None) -> ConnectPhase:
    """Open a connection to every clone as the monitor does (at most `concurrency` at once), read the new
    backends' CPU, close them all."""
    gate = asyncio.Semaphore(concurrency)
    conns: list[psycopg.AsyncConnection[tuple[object, ...]]] = []

    async def one(dsn: ResolvedDsn) -> None:
        async with gate:
            conns.append(await psycopg.AsyncConnection.connect(dsn.dsn, application_name=APPLICATION_NAME,
                                                               connect_timeout=10, autocommit=True))

    before = _cpu_now([], postmaster)
    started = time.perf_counter()
    try:
        await asyncio.gather(*(one(dsn) for dsn in dsns))
        wall = (time.perf_counter() - started) * 1000
        pids = [c.info.backend_pid for c in conns] if postmaster is not None else []
        cpu = _cpu_since(before, _cpu_now(pids, postmaster), from_start=True)
    finally:
        await asyncio.gather(*(c.close() for c in conns))
    return ConnectPhase(wall, cpu)
