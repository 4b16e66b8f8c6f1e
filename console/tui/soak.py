"""The console left running: the dashboard headless (Textual's public `run(headless=True)` with an auto-pilot)
on a database for a while, its refresh interval set, and this process's resident memory sampled
(`bench --chunks … --memory-minutes M`)."""

from __future__ import annotations

import time
from pathlib import Path

from textual.pilot import Pilot

from console.bench.scale import MemorySample
from console.infra.dsn import ResolvedDsn
from console.infra.errors import ConsoleError
from console.infra.session import Disconnected, Session
from console.tui.app import ObsConsoleApp


def rss_mib() -> float:
    """This process's resident set size in MiB (VmRSS from /proc/self/status)."""
    for line in Path("/proc/self/status").read_text(encoding="ascii").splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def memory_run(target: ResolvedDsn, minutes: float, refresh_s: float, every_s: float) -> list[MemorySample]:
    """Run the dashboard on `target` for `minutes`, refreshing every `refresh_s`; a sample every `every_s`."""
    from console.tui.screens.dashboard import DashboardScreen

    session = Session(target)
    try:
        session.call(lambda _conn, _info: None)
    except Disconnected as exc:
        raise ConsoleError(exc.message) from None

    samples: list[MemorySample] = []

    async def watch(pilot: Pilot[object]) -> None:
        refreshes, seen = 0, None
        started = time.perf_counter()
        next_sample = 0.0
        while True:
            elapsed = time.perf_counter() - started
            screen = app.screen
            snapshot = screen.last_snapshot if isinstance(screen, DashboardScreen) else None
            if snapshot is not None and snapshot is not seen:
                refreshes, seen = refreshes + 1, snapshot
            done = elapsed >= minutes * 60
            if elapsed >= next_sample or done:
                samples.append(MemorySample(elapsed, rss_mib(), refreshes))
                next_sample += every_s
            if done:
                app.exit()
                return
            await pilot.pause(0.05)

    app = ObsConsoleApp(session, refresh_s=refresh_s)
    try:
        app.run(headless=True, size=(160, 48), auto_pilot=watch)
    finally:
        session.close()
    return samples
