"""`obsconsole bench --chunks N[,N...]`: what an idle dashboard costs the server as the catalog grows.

For each N, in a scratch place on the target server (scratch.py: a database created and dropped by bench),
the project's migrations and an N-chunk catalog (catalog.py), then: the full five-pane refresh p50/p95 through
`console.panes.refresh_all` (the dashboard's unit of work), the same per pane, statements per refresh and the
server CPU per refresh (the backend's utime + stime from /proc, when the server is on this machine), and the
floor measured the same way (floor.py: psql running the raw catalog reads), side by side as a ratio. Optionally
the TUI itself runs headless on the largest catalog for a while and its resident memory is sampled.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, ClassVar

import psycopg
from psycopg.abc import Params, Query

from console.bench import catalog, cpu, floor, scratch
from console.bench.stats import Spread, spread
from console.infra import clock
from console.infra.db import Conn
from console.infra.dsn import ResolvedDsn
from console.infra.errors import ConsoleError
from console.infra.prepared import prepare_when_direct
from console.infra.server import ServerInfo, server_info
from console.panes import PaneOptions, refresh_all
from console.panes.catalog import objects, sizes
from console.panes.catalog.cache import PaneCache
from console.panes.catalog.sizes import COLD_BUDGET, COLD_TTL

Note = Callable[[str], None]
RAMP_LIMIT = 5_000  # refreshes bench waits for every chunk size to be measured
DASHBOARD_REFRESH_S = 5.0  # the dashboard's default refresh interval, for the cold share per refresh


@dataclass(frozen=True)
class MemorySample:
    """The TUI's resident memory `seconds` into the run, after `refreshes` dashboard refreshes."""

    seconds: float
    rss_mib: float
    refreshes: int


@dataclass(frozen=True)
class Memory:
    """The headless TUI run: its settings and the samples."""

    chunks: int
    refresh_s: float
    minutes: float
    samples: list[MemorySample]

    @property
    def settled(self) -> MemorySample:
        """The sample halfway through the run (start-up allocations and the first refreshes are over by then)."""
        half = self.samples[-1].seconds / 2
        return next(s for s in self.samples if s.seconds >= half)

    @property
    def growth_mib_per_hour(self) -> float | None:
        """RSS growth over the run's second half, extrapolated to one hour; None for too short a run."""
        first, last = self.settled, self.samples[-1]
        span = last.seconds - first.seconds
        return (last.rss_mib - first.rss_mib) / span * 3600 if span > 0 else None


MemoryRun = Callable[[ResolvedDsn, float, float, float], list[MemorySample]]  # target, minutes, refresh_s, every_s


@dataclass(frozen=True)
class PaneFigure:
    """One pane within the full refresh: its status on the last run and its own p50/p95."""

    pane: str
    statuses: dict[str, int]  # status -> how many of the timed refreshes ended with it
    timing: Spread

    @property
    def status(self) -> str:
        """'ok', or e.g. 'timeout 17/20, ok 3/20' when the runs differ."""
        if len(self.statuses) == 1:
            return next(iter(self.statuses))
        runs = sum(self.statuses.values())
        return ", ".join(f"{k} {n}/{runs}" for k, n in sorted(self.statuses.items(), key=lambda kv: -kv[1]))


@dataclass(frozen=True)
class ColdSizes:
    """How the dashboard's chunk sizes settle: the first refreshes measure the chunks not measured yet within
    their time budget (each ends up measured exactly); after that every cold chunk is measured again once its
    measurement is COLD_TTL old, which at a dashboard's refresh interval is a steady share per refresh."""

    refreshes: int  # refreshes until no chunk size was an estimate (capped at RAMP_LIMIT)
    timing: Spread  # those refreshes
    ms_per_chunk: float  # measuring cold chunks, per chunk
    cold_chunks: int
    budget_ms: float = COLD_BUDGET.total_seconds() * 1000  # a refresh's time for measuring cold chunks
    ttl_s: float = COLD_TTL.total_seconds()  # a cold chunk is measured again once its measurement is this old

    def share(self, refresh_s: float) -> float:
        """Cold chunks measured again per refresh, on average, at a dashboard refreshing every `refresh_s`."""
        return self.cold_chunks * refresh_s / self.ttl_s


@dataclass(frozen=True)
class ScalePoint:
    """Everything measured at one catalog size."""

    chunks_requested: int
    chunks: dict[str, int]
    build_s: float
    refresh: Spread
    panes: list[PaneFigure]
    statements_per_refresh: float
    server_cpu_ms: float | None  # per refresh
    cpu_note: str | None  # why it is not measurable, or how it was read
    floor: floor.Floor
    cold: ColdSizes

    @property
    def total_chunks(self) -> int:
        return sum(self.chunks.values())

    @property
    def ratio_p50(self) -> float | None:
        """Panes p50 over the floor's p50."""
        base = self.floor.refresh
        return self.refresh.p50_ms / base.p50_ms if base and base.p50_ms > 0 else None


@dataclass(frozen=True)
class ScaleResult:
    """`bench --chunks` as a whole."""

    target: str
    engine: str
    started_at: datetime
    scratch_kind: str
    migrated: str
    repeat: int
    points: list[ScalePoint] = field(default_factory=list)
    memory: Memory | None = None


@dataclass(frozen=True)
class ScaleOptions:
    """The user's choices."""

    chunks: list[int]
    repeat: int = 20
    memory_minutes: float = 0.0  # 0: no TUI run
    memory_refresh_s: float = 1.0
    memory_every_s: float = 10.0


def parse_chunks(text: str) -> list[int]:
    """'100,1000,10000' -> [100, 1000, 10000]; ConsoleError (exit 2) for anything else."""
    try:
        values = [int(part.replace("_", "")) for part in text.split(",") if part.strip()]
    except ValueError:
        raise ConsoleError(f"--chunks takes counts separated by commas, e.g. 100,1000,10000 (got {text!r})") from None
    if not values:
        raise ConsoleError("--chunks takes at least one count, e.g. --chunks 1000")
    for value in values:
        if not catalog.MIN_CHUNKS <= value <= catalog.MAX_CHUNKS:
            raise ConsoleError(f"--chunks counts must be between {catalog.MIN_CHUNKS} and "
                               f"{catalog.MAX_CHUNKS:,} (got {value})")
    return values


def validate(options: ScaleOptions) -> None:
    """ConsoleError (exit 2) for impossible flags."""
    if not 1 <= options.repeat <= 10_000:
        raise ConsoleError(f"--repeat must be between 1 and 10,000 (got {options.repeat})")
    if not 0 <= options.memory_minutes <= 24 * 60:  # 0: no TUI run
        raise ConsoleError(f"--memory-minutes must be between 0.01 and 1440 (got {options.memory_minutes:g})")
    if not 1 <= options.memory_refresh_s <= 60:
        raise ConsoleError(f"--memory-refresh must be between 1 and 60 s (got {options.memory_refresh_s:g})")


def bench_chunks(target: ResolvedDsn, options: ScaleOptions, memory_run: MemoryRun | None = None,
                 note: Note = lambda _m: None) -> ScaleResult:
    """Measure at each catalog size in `options.chunks` (ascending; one scratch place, grown step by step)."""
    validate(options)
    started = datetime.now(UTC)
    sizes = sorted(set(options.chunks))
    points: list[ScalePoint] = []
    memory = None
    with scratch.scratch(target, note) as place:
        with place.connect() as conn:
            engine = _engine_label(conn)
        already: catalog.Built | None = None
        for size in sizes:
            note(f"building a {size:,}-chunk catalog ...")
            with place.connect(read_only=False) as conn:
                built = catalog.build(conn, size, already)
            already = built
            note(f"timing {options.repeat} refreshes at {built.total:,} chunks ...")
            points.append(_measure(place, size, built.chunks, built.seconds, options.repeat))
        if memory_run is not None and options.memory_minutes > 0:
            note(f"running the TUI headless for {options.memory_minutes:g} min at {sizes[-1]:,} chunks ...")
            every_s = min(options.memory_every_s, options.memory_minutes * 60 / 12)  # a dozen samples at least
            samples = memory_run(place.target, options.memory_minutes, options.memory_refresh_s, every_s)
            memory = Memory(points[-1].total_chunks, options.memory_refresh_s, options.memory_minutes, samples)
        migrated = place.edition_note or f"all migrations (to {place.migrated_to:03d})"
    if not scratch.gone(target, place):
        raise ConsoleError(f"the scratch {place.kind} {place.name} is still on the server: drop it by hand")
    return ScaleResult(target.masked, engine, started, place.kind, migrated, options.repeat, points, memory)


def _engine_label(conn: Conn) -> str:
    info = server_info(conn)
    return f"PostgreSQL {info.server_version}, TimescaleDB {info.timescaledb_installed} ({info.edition})"


class _CountingCursor(psycopg.Cursor[Any]):
    """A cursor counting the statements its connection sends (the panes' queries)."""

    counts: ClassVar[dict[int, int]] = {}

    def execute(self, query: Query, params: Params | None = None, *, prepare: bool | None = None,
                binary: bool | None = None) -> _CountingCursor:
        key = id(self.connection)
        self.counts[key] = self.counts.get(key, 0) + 1
        super().execute(query, params, prepare=prepare, binary=binary)  # type: ignore[arg-type,misc]
        return self


def _measure(place: scratch.Scratch, requested: int, chunks: dict[str, int], build_s: float,
             repeat: int) -> ScalePoint:
    with place.connect() as conn:
        info = server_info(conn)
        prepare_when_direct(conn)  # as the dashboard's session does
        conn.cursor_factory = _CountingCursor
        # As the dashboard refreshes: one PaneCache kept across refreshes (the catalog re-read when its version
        # changes; hot chunks measured every time, cold ones within their time budget). The warm-up fills it.
        options = PaneOptions(cache=PaneCache())
        cold = _settle(conn, info, options)
        backend = conn.info.backend_pid
        pid, how = cpu.server_process(conn, backend)
        key = id(conn)
        _CountingCursor.counts[key] = 0
        before = cpu.backend_cpu_ms(pid) if pid is not None else None
        totals: list[float] = []
        per_pane: dict[str, list[float]] = {}
        statuses: dict[str, dict[str, int]] = {}
        for _ in range(repeat):
            snapshot = refresh_all(conn, info, options)
            totals.append(snapshot.elapsed_ms)
            for pane in snapshot.panes:
                per_pane.setdefault(pane.pane, []).append(pane.elapsed_ms)
                counted = statuses.setdefault(pane.pane, {})
                counted[str(pane.status)] = counted.get(str(pane.status), 0) + 1
        after = cpu.backend_cpu_ms(pid) if pid is not None else None
        statements = _CountingCursor.counts.pop(key, 0) / repeat
    cpu_ms = (after - before) / repeat if before is not None and after is not None else None
    note = f"{how}, {cpu.TICK_MS:g} ms ticks, over {repeat} refreshes" if pid is not None else how
    # The floor runs with no console connection open: the tsl engine takes one client at a time.
    base = floor.measure(place.target, repeat, pid if backend <= 0 else None)
    panes = [PaneFigure(name, statuses[name], spread(samples)) for name, samples in per_pane.items()]
    return ScalePoint(requested, chunks, build_s, spread(totals), panes, statements, cpu_ms, note, base, cold)


def _settle(conn: Conn, info: ServerInfo, options: PaneOptions) -> ColdSizes:
    """Refresh until every chunk's size is measured (the dashboard's first minutes), then time measuring a
    batch of cold chunks again (what each later refresh spends on its share)."""
    ramp: list[float] = []
    while len(ramp) < RAMP_LIMIT:
        snapshot = refresh_all(conn, info, options)
        ramp.append(snapshot.elapsed_ms)
        pane = snapshot.pane("chunks")
        if pane is None or pane.summary is None or pane.summary.estimated_chunks == 0:
            break
    catalog = objects.read(conn, options.cache.catalog if options.cache else None)
    hot = sizes.hot_keys(catalog)
    cold = [c.key for table in catalog.objects for c in table.chunks if c.key not in hot]
    batch = cold[:sizes.COLD_STEP]
    samples = []
    for _ in range(5):
        started = clock.counter()
        sizes.measure(conn, batch, catalog.now)
        samples.append(clock.elapsed_ms(started) / max(1, len(batch)))
    return ColdSizes(len(ramp), spread(ramp), sorted(samples)[2], len(cold))
