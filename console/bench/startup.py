"""How fast the console opens: `obsconsole --help` wall time, and the dashboard's first paint (all five panes
drawn) counted from the moment the app starts on an open connection."""

from __future__ import annotations

import asyncio
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from console.dsn import ResolvedDsn
from console.services.session import Session

HELP_RUNS = 5


@dataclass(frozen=True)
class Startup:
    """Median `--help` seconds over HELP_RUNS runs, and the first dashboard paint in milliseconds."""

    help_s: float
    first_paint_ms: float


def measure(target: ResolvedDsn) -> Startup:
    return Startup(_help_seconds(), _first_paint_ms(target))


def _help_seconds() -> float:
    script = Path(sys.executable).with_name("obsconsole")
    argv = [str(script), "--help"] if script.exists() else [sys.executable, "-m", "console", "--help"]
    samples = []
    for _ in range(HELP_RUNS):
        started = time.perf_counter()
        subprocess.run(argv, capture_output=True, check=True)
        samples.append(time.perf_counter() - started)
    return statistics.median(samples)


def _first_paint_ms(target: ResolvedDsn) -> float:
    from console.tui.app import ObsConsoleApp
    from console.tui.screens.dashboard import DashboardScreen

    session = Session(target)
    session.call(lambda _conn, _info: None)  # "after the connection is made"

    async def run() -> float:
        app = ObsConsoleApp(session, refresh_s=60)
        started = time.perf_counter()
        async with app.run_test(size=(160, 48)) as pilot:
            while not (isinstance(app.screen, DashboardScreen) and app.screen.last_snapshot is not None):
                await pilot.pause(0.005)
            await pilot.pause()  # let the drawn panes reach the screen
            return (time.perf_counter() - started) * 1000

    try:
        return asyncio.run(run())
    finally:
        session.close()
