"""Recording what the console shows: `Recorder` turns each refresh into a snapshot row and its events (the
dashboard calls it with `obsconsole --record FILE`), `run` is the headless `obsconsole record` loop: one
read-only Session with the console's timeouts and the dashboard's pane cache (as gentle as the dashboard), a
snapshot every interval, outages written as such, retention applied, stopped by an Event (SIGTERM/SIGINT)."""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from console.infra import clock, fmt
from console.infra.db import Conn
from console.infra.dsn import ResolvedDsn
from console.infra.errors import ConsoleError
from console.infra.server import ServerInfo
from console.infra.session import Disconnected, Session
from console.panes import CostWindow, PaneOptions, Snapshot
from console.panes.catalog.cache import PaneCache
from console.recording import events, facts
from console.recording.model import Event, Facts, Kind, Stored
from console.recording.refresh import refresher
from console.recording.store import Writer

log = logging.getLogger("obsconsole.record")


@dataclass(frozen=True)
class Schedule:
    """How often to snapshot, how long to keep snapshots, how often to run verify (None: never)."""

    every: timedelta = timedelta(seconds=60)
    retain: timedelta = timedelta(days=7)
    verify_every: timedelta | None = timedelta(minutes=15)


class Recorder:
    """Writes snapshots and the events between them to one file (created when missing)."""

    def __init__(self, path: Path, target: ResolvedDsn, schedule: Schedule) -> None:
        self.writer = Writer(path, target.masked, schedule.every)
        self.schedule = schedule
        resumed = self.writer.last()
        self.previous: Stored | None = resumed[1] if resumed else None
        self.verify: dict[str, str] | None = None
        self.verified_at: datetime | None = None
        self.down_since: datetime | None = None
        started = resumed[0] if resumed else clock.now()
        self.audit = facts.AuditTail(target.masked, started)
        self.runs_since = started
        self.last_size = 0

    def capture(self, conn: Conn, info: ServerInfo, snapshot: Snapshot, endpoint: str) -> None:
        """Read the facts on `conn`, then write the snapshot and what changed since the last one (its compressed
        size in `last_size`)."""
        at = clock.now()
        if self._verify_due(at):
            self.verify = facts.verify_statuses(conn)
            self.verified_at = at
        runs = facts.job_runs(conn, info, self.runs_since)
        if runs:
            self.runs_since = max(r.started_at for r in runs)
        stored = Stored.of(snapshot, Facts(endpoint, facts.migrations(conn), self.verify, runs))
        found = [*self._reconnected(at), *events.between(self.previous, stored, at), *self.audit.new_events()]
        self.last_size = self.writer.write(at, stored, found)
        self.previous = stored
        self._prune(at)

    def outage(self, error: str) -> None:
        """The server could not be read at this tick: an outage row (its reason), and an event when it begins."""
        at = clock.now()
        began = self.down_since is None
        if began:
            self.down_since = at
        self.writer.write(at, None, [Event(at, Kind.OUTAGE, "server", f"server unreachable: {error}")] if began
                          else [], error)

    def _reconnected(self, at: datetime) -> list[Event]:
        if self.down_since is None:
            return []
        lasted = at - self.down_since
        self.down_since = None
        return [Event(at, Kind.RECONNECTED, "server", f"server readable again after {lasted.total_seconds():.0f} s")]

    def _verify_due(self, at: datetime) -> bool:
        every = self.schedule.verify_every
        return every is not None and (self.verified_at is None or at - self.verified_at >= every)

    def _prune(self, at: datetime) -> None:
        """Retention, after every snapshot (one indexed DELETE: usually nothing, then one row)."""
        dropped = self.writer.prune(at - self.schedule.retain)
        if dropped:
            log.debug("retention: dropped %d snapshot(s) older than %s", dropped, self.schedule.retain)

    def close(self) -> None:
        self.writer.close()


def run(target: ResolvedDsn, path: Path, schedule: Schedule, stop: threading.Event, count: int | None = None) -> int:
    """Record until `stop` is set, or after `count` ticks (a snapshot or an outage each) when given; the number of
    snapshots written. The file is opened (and refused) before the first connection, and every write is committed
    before the next wait."""
    recorder = Recorder(path, target, schedule)
    session = Session(target)
    options = PaneOptions(window=CostWindow.last("24h"), cache=PaneCache())  # the dashboard's default window
    written = ticks = 0
    try:
        try:  # a wrong DSN or password at the start is one line and exit 2, not a retry loop
            session.call(lambda _conn, _info: None)
        except Disconnected as exc:
            recorder.close()
            if recorder.writer.created:
                recorder.writer.remove()  # nothing done: no empty recording left behind
            raise ConsoleError(exc.message) from None
        log.info("recording %s every %s into %s (keeping %s)", target.masked,
                 fmt.duration_words(schedule.every), path, fmt.duration_words(schedule.retain))
        while not stop.is_set():
            started = clock.counter()
            try:
                session.call(refresher(options, recorder))
                size = recorder.last_size
                written += 1
                log.info("snapshot %d: %d bytes in %.0f ms", written, size, clock.elapsed_ms(started))
            except Disconnected as exc:
                log.warning("server unreachable, recorded as an outage: %s", exc.message)
                recorder.outage(exc.message)
            ticks += 1
            if count is not None and ticks >= count:
                break
            stop.wait(max(0.0, schedule.every.total_seconds() - clock.elapsed_ms(started) / 1000))
    finally:
        session.close()
        recorder.close()
    log.info("stopped after %d snapshot(s)", written)
    return written
