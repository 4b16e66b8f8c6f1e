"""Reading the fleet: one kept-open, read-only async connection per database (psycopg's AsyncConnection),
refreshed together with bounded concurrency, each database under its own timeout so a dead or slow one never
holds up the rest; a connection lost in an outage is re-opened on the next refresh.

The monitor runs its own event loop in a thread of its own, so any caller (the CLI, the TUI's worker thread, the
metrics endpoint's scrape, the bench) calls `refresh()` synchronously and the I/O never runs on a UI thread.
Each refresh is one read-only transaction per database: its timeouts set LOCAL (nothing stays on a pooled
session), then queries/fleet/*.sql (catalogs and aggregates, never a raw hypertable)."""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections.abc import Callable, Coroutine, Iterable
from dataclasses import dataclass, replace
from datetime import timedelta
from decimal import Decimal
from typing import Any, TypeVar

import psycopg
from psycopg.rows import DictRow, dict_row

from console.fleet.model import (
    REPLAY_LAG_WARN_S,
    DatabaseStatus,
    Finding,
    FleetReport,
    Level,
    ModelCost,
    worst_first,
)
from console.fleet.targets import Target
from console.infra import clock
from console.infra.db import APPLICATION_NAME, describe_connect_error
from console.infra.errors import server_words
from console.infra.fmt import printable, short_duration
from console.infra.queries import query
from console.infra.server import COMMUNITY
from console.verify.health_checks import APACHE_HISTORY_JOB

AsyncConn = psycopg.AsyncConnection[DictRow]
T = TypeVar("T")
DEFAULT_CONCURRENCY = 16
DEFAULT_TIMEOUT_S = 3.0


@dataclass
class _Slot:
    """What the monitor keeps per database between refreshes."""

    conn: AsyncConn | None = None
    last: DatabaseStatus | None = None
    held: bool = False  # its connection handed back while another part of the console uses the database
    served_by: int | None = None  # the server process that answered the connection's previous refresh


class FleetMonitor:
    """Watches `targets`; `refresh()` reads every database and returns the fleet worst first."""

    def __init__(self, targets: Iterable[Target], *, problems: Iterable[str] = (),
                 concurrency: int = DEFAULT_CONCURRENCY, timeout_s: float = DEFAULT_TIMEOUT_S) -> None:
        self.targets = list(targets)
        self.problems = list(problems)
        self.concurrency = max(1, concurrency)
        self.timeout_s = timeout_s
        self._slots = {t.name: _Slot() for t in self.targets}
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="fleet-io", daemon=True)
        self._thread.start()
        self._lock = threading.Lock()  # one refresh at a time
        self._closed = False

    def __enter__(self) -> FleetMonitor:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def _run(self, coro: Coroutine[Any, Any, T]) -> T:
        return asyncio.run_coroutine_threadsafe(coro, self._loop).result()

    def refresh(self) -> FleetReport:
        """Read every database (at most `concurrency` at once, each within `timeout_s`)."""
        with self._lock:
            return self._run(self._refresh())

    def hold(self, name: str) -> None:
        """Close `name`'s connection and leave it alone until `release(name)`: the console opens that database
        itself (the tsl engine serves one client connection)."""
        with self._lock:
            self._run(self._close_slot(name, hold=True))

    def server_pids(self) -> list[int]:
        """The server process each kept connection announced (0 on the tsl engine): what `bench --fleet` reads
        the server's CPU from."""
        return [slot.conn.info.backend_pid for slot in self._slots.values()
                if slot.conn is not None and not slot.conn.closed]

    def release(self, name: str) -> None:
        self._slots[name].held = False

    def close(self) -> None:
        """Close every connection and stop the I/O thread (nothing is left on any server)."""
        if self._closed:
            return
        self._closed = True
        with self._lock:
            self._run(self._close_all())
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(10)
        self._loop.close()

    async def _refresh(self) -> FleetReport:
        started = clock.counter()
        gate = asyncio.Semaphore(self.concurrency)

        async def one(target: Target) -> DatabaseStatus:
            async with gate:
                return await self._read(target)

        statuses = await asyncio.gather(*(one(t) for t in self.targets))
        elapsed = (clock.counter() - started) * 1000
        return FleetReport(worst_first(list(statuses)), list(self.problems), elapsed, clock.now(), self.concurrency)

    async def _read(self, target: Target) -> DatabaseStatus:
        slot = self._slots[target.name]
        started = clock.counter()
        if slot.held and slot.last is not None:
            return slot.last
        try:
            async with asyncio.timeout(self.timeout_s):
                status = await self._probe(target, slot)
        except TimeoutError:
            status = await self._down(target, slot, f"no answer within {self.timeout_s:g} s")
        except psycopg.Error as exc:
            if slot.conn is not None and not slot.conn.broken and not slot.conn.closed:
                status = _reachable_error(target, exc)  # the server answered with an error: say which
            else:
                status = await self._down(target, slot, describe_connect_error(exc, target.dsn))
        status = replace(status, elapsed_ms=(clock.counter() - started) * 1000)
        slot.last = status
        return status

    async def _probe(self, target: Target, slot: _Slot) -> DatabaseStatus:
        kept = slot.conn is not None and not slot.conn.closed and not slot.conn.broken
        try:
            return await self._probe_once(target, slot)
        except psycopg.OperationalError:
            if not kept or slot.conn is None or not (slot.conn.closed or slot.conn.broken):
                raise
        # The kept connection died since the last refresh (a restart, a terminated backend): one new one.
        await self._close_slot(target.name)
        return await self._probe_once(target, slot)

    async def _probe_once(self, target: Target, slot: _Slot) -> DatabaseStatus:
        if slot.conn is None or slot.conn.closed or slot.conn.broken:
            slot.conn, slot.served_by = None, None
            slot.conn = await psycopg.AsyncConnection.connect(
                target.dsn.dsn, application_name=APPLICATION_NAME, connect_timeout=max(2, round(self.timeout_s)),
                autocommit=True, prepare_threshold=None, row_factory=dict_row)
            await slot.conn.set_read_only(True)
        conn = slot.conn
        return await read_database(conn, target, round(self.timeout_s * 1000),
                                   served_by=lambda pid: _note_server_process(slot, conn, pid))

    async def _down(self, target: Target, slot: _Slot, message: str) -> DatabaseStatus:
        await self._close_slot(target.name)
        previous = slot.last
        since = previous.unreachable_since if previous is not None and not previous.reachable else None
        return DatabaseStatus(target.name, target.tags, target.dsn.masked, False, since or clock.now(),
                              target.scrub(message), findings=(Finding(Level.UNREACHABLE, target.scrub(message)),))

    async def _close_slot(self, name: str, *, hold: bool = False) -> None:
        slot = self._slots[name]
        slot.held = hold or slot.held
        if slot.conn is not None:
            conn, slot.conn = slot.conn, None
            with contextlib.suppress(psycopg.Error):
                await conn.close()

    async def _close_all(self) -> None:
        await asyncio.gather(*(self._close_slot(name) for name in self._slots))


def _note_server_process(slot: _Slot, conn: AsyncConn, pid: int) -> None:
    """Prepare the fleet's statements once the server session is known to be the connection's own, as
    console.infra.guard.pooler judges it (the serving process is the announced one in two transactions in a row; the
    tsl engine announces pid 0), here over the connection's first two refreshes rather than in two round trips of
    their own before the first: through a pooler the next transaction may run in another session. The first refresh
    is never prepared (a one-shot `fleet --json` plans each statement once either way); from the second on, each
    statement is prepared at its next execution and planned no more (see console.infra.prepared)."""
    if conn.prepare_threshold is None and pid == slot.served_by == conn.info.backend_pid != 0:
        conn.prepare_threshold = 0
    slot.served_by = pid


def _reachable_error(target: Target, exc: psycopg.Error) -> DatabaseStatus:
    said = target.scrub(printable(server_words(exc) or type(exc).__name__))
    return DatabaseStatus(target.name, target.tags, target.dsn.masked, True, error=said,
                          findings=(Finding(Level.WARN, f"could not read its figures: {said}"),))


async def read_database(conn: AsyncConn, target: Target, timeout_ms: int, *,
                        served_by: Callable[[int], None] = lambda _pid: None) -> DatabaseStatus:
    """One read-only transaction on `conn`: the server's facts (the serving process told to `served_by`), then
    TimescaleDB's figures where installed."""
    async with conn.transaction():
        await conn.execute(query("session_local"), {"statement_timeout": f"{timeout_ms}ms",
                                                    "lock_timeout": f"{min(timeout_ms, 1000)}ms"})
        server = await _one(conn, "fleet/server")
        served_by(int(server["pid"]))
        tsdb = None
        cagg: list[DictRow] = []
        costs: list[DictRow] = []
        if server["timescaledb_version"]:
            tsdb = await _one(conn, "fleet/timescale")
            tsdb["overdue_jobs"] = tsdb["stuck_jobs"] + await _not_running(conn, list(tsdb["late_jobs"]))
            if server["license"] == COMMUNITY:
                cagg = await (await conn.execute(query("verify/cagg_lag"))).fetchall()
                if server["has_cost"]:
                    costs = await (await conn.execute(query("fleet/cost"))).fetchall()
    return _status(target, server, tsdb, cagg, costs)


async def _not_running(conn: AsyncConn, late: list[str]) -> int:
    """How many of the late jobs (by application name) no backend is running now: the overdue ones."""
    if not late:
        return 0
    rows = await (await conn.execute(query("fleet/running_jobs"), {"names": late})).fetchall()
    running = {row["application_name"] for row in rows}
    return sum(name not in running for name in late)


async def _one(conn: AsyncConn, name: str, params: dict[str, object] | None = None) -> DictRow:
    row = await (await conn.execute(query(name), params)).fetchone()
    assert row is not None
    return row


def _edition(server: DictRow) -> str:
    if not server["timescaledb_version"]:
        return "none"
    return {COMMUNITY: "community", "apache": "apache"}.get(server["license"] or "", server["license"] or "unknown")


def _status(target: Target, server: DictRow, tsdb: DictRow | None, cagg: list[DictRow],
            costs: list[DictRow]) -> DatabaseStatus:
    edition = _edition(server)
    standby = bool(server["standby"])
    lag = server["replay_lag_seconds"]
    findings: list[Finding] = []
    if standby and lag is not None and lag > REPLAY_LAG_WARN_S:
        findings.append(Finding(Level.WARN, f"standby replay lags {short_duration(timedelta(seconds=lag))}"))
    status = DatabaseStatus(target.name, target.tags, target.dsn.masked, True, role="standby" if standby else "primary",
                            replay_lag_seconds=lag, postgres_version=server["server_version"],
                            timescaledb_version=server["timescaledb_version"], edition=edition)
    if tsdb is None:
        findings.append(Finding(Level.WARN, "TimescaleDB is not installed in this database"))
        return replace(status, findings=tuple(findings))
    failing = list(tsdb["failing_procs"])
    known = [p for p in failing if edition != "community" and p == APACHE_HISTORY_JOB]
    real = [p for p in failing if p not in known]
    if real:
        findings.append(Finding(Level.FAIL, f"{len(real)} job(s) failing: {printable(', '.join(real))}"))
    if known:
        findings.append(Finding(Level.WARN, f"{APACHE_HISTORY_JOB} fails (known: Apache builds cannot run it)"))
    if tsdb["overdue_jobs"]:
        findings.append(Finding(Level.WARN, f"{tsdb['overdue_jobs']} job(s) overdue"))
    if tsdb["compression_backlog"]:
        findings.append(Finding(Level.WARN, f"{tsdb['compression_backlog']} chunk(s) waiting for compression"))
    if tsdb["retention_overdue"]:
        findings.append(Finding(Level.WARN, f"{tsdb['retention_overdue']} chunk(s) past retention"))
    late = [r for r in cagg if r["lag"] is None or (r["allowed_lag"] is not None and r["lag"] > r["allowed_lag"])]
    if late:
        findings.append(Finding(Level.WARN, f"{len(late)} aggregate(s) behind: "
                                            f"{printable(', '.join(r['view_name'] for r in late))}"))
    lags = [r["lag"].total_seconds() for r in cagg if r["lag"] is not None]
    per_model = tuple(ModelCost(printable(str(r["provider"])), printable(str(r["model"])), r["cost_24h_usd"],
                                r["last_hour_usd"]) for r in costs)
    total = sum((c.cost_24h_usd for c in per_model if c.cost_24h_usd is not None), Decimal(0)) if costs else None
    return replace(
        status, jobs=tsdb["jobs"], failing_jobs=len(real), overdue_jobs=tsdb["overdue_jobs"],
        job_failures_total=tsdb["job_failures"], compression_backlog=tsdb["compression_backlog"],
        compression_ratio=tsdb["compression_ratio"], retention_overdue=tsdb["retention_overdue"],
        aggregates=len(cagg) if edition == "community" else None,
        late_aggregates=len(late) if edition == "community" else None,
        aggregate_lag_seconds=max(lags) if lags else None, chunks=tsdb["chunks"],
        compressed_chunks=tsdb["compressed_chunks"], chunk_bytes=tsdb["chunk_bytes"],
        growth_bytes_per_day=tsdb["growth_bytes_per_day"], cost_24h_usd=total, costs=per_model,
        findings=tuple(findings))
