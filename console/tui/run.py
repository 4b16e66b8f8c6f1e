"""Opening the console on a database: connect once up front (a clear one-line error if that fails), then run
the app until the user quits."""

from __future__ import annotations

import signal
import time
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from console.infra.dsn import ResolvedDsn
from console.infra.errors import ConsoleError
from console.infra.session import Disconnected, Session
from console.tui.app import ObsConsoleApp
from console.tui.settings import ConsoleSettings

if TYPE_CHECKING:  # the first frame waits for nothing it does not draw (tests/test_startup.py)
    from textual.pilot import Pilot

    from console.fleet.probe import FleetMonitor


def run_console(settings: ConsoleSettings, *, start_mode: str = "dashboard", record: Path | None = None) -> None:
    """Run the TUI with `settings` (console/tui/settings.py: the database, read-only mode, refresh, keymap);
    `record`: each dashboard refresh is also written to that recording. Raises ConsoleError (exit 2) for a
    recording that cannot be written, or when the first connection fails."""
    target = settings.target
    assert target is not None, "the console opens on one database"
    recorder = None
    if record is not None:
        from console.recording.recorder import Recorder, Schedule

        recorder = Recorder(record, target, Schedule(every=timedelta(seconds=settings.refresh_s)))
    session = Session(target)
    try:
        session.call(lambda _conn, _info: None)
    except Disconnected as exc:
        if recorder is not None:
            recorder.close()
        raise ConsoleError(exc.message) from None
    app = ObsConsoleApp(session, refresh_s=settings.refresh_s, start_mode=start_mode, read_only=settings.read_only,
                        keymap=settings.keymap, recorder=recorder)
    # The terminal went away (window closed, ssh dropped): leave cleanly instead of spinning, so the caller's
    # clean-up (e.g. the demo stopping its engine) runs.
    previous = signal.signal(signal.SIGHUP, lambda _signum, _frame: app.exit())
    try:
        app.run()
    finally:
        signal.signal(signal.SIGHUP, previous)
        session.close()
        if recorder is not None:
            recorder.close()


def run_fleet(monitor: FleetMonitor, settings: ConsoleSettings) -> None:
    """Run the TUI on the fleet screen with `settings`; Enter opens a database's dashboard through a Session of
    its own."""
    app = ObsConsoleApp(Session(monitor.targets[0].dsn), refresh_s=settings.refresh_s, start_mode="fleet",
                        read_only=settings.read_only, keymap=settings.keymap, fleet=monitor)
    previous = signal.signal(signal.SIGHUP, lambda _signum, _frame: app.exit())
    try:
        app.run()
    finally:
        signal.signal(signal.SIGHUP, previous)
        app.context.session.close()


def first_paint_ms(target: ResolvedDsn) -> float:
    """Milliseconds from the app's start on an open connection to the dashboard's five panes drawn (bench)."""
    from console.tui.screens.dashboard import DashboardScreen

    session = Session(target)
    session.call(lambda _conn, _info: None)  # "after the connection is made"

    drawn: list[float] = []

    async def watch(pilot: Pilot[object]) -> None:
        while not (isinstance(app.screen, DashboardScreen) and app.screen.last_snapshot is not None):
            await pilot.pause(0.005)
        await pilot.pause()  # let the drawn panes reach the screen
        drawn.append((time.perf_counter() - started) * 1000)
        app.exit()

    app = ObsConsoleApp(session, refresh_s=60)
    started = time.perf_counter()
    try:
        app.run(headless=True, size=(160, 48), auto_pilot=watch)  # Textual's public headless run
    finally:
        session.close()
    if not drawn:
        raise ConsoleError("bench: the console exited before its first frame")
    return drawn[0]
