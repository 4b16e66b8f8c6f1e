"""Issue 24, point 6: the header tells the state in force, on every screen. An interval change moves the next
refresh at once; every screen checks the connection and retries it; "disconnected since" dates from the first
failure, with its zone and cause; the stale marker survives a resize until fresh data arrives. On a native
cluster stopped and restarted on its own data dir (the same DSN)."""

from __future__ import annotations

import asyncio
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from textual.widgets import Static

from console.engines import native
from console.engines.process import RunningEngine
from console.infra import clock, fmt
from console.infra.dsn import ResolvedDsn
from console.infra.errors import ConsoleError
from console.infra.session import Session
from console.tui.app import ObsConsoleApp
from console.tui.screens.dashboard import DashboardScreen
from console.tui.screens.jobs import JobsScreen
from console.tui.widgets.pane_box import PaneBox
from console.tui.widgets.server_header import ServerHeader
from tests.conftest import IN_CI, register_dsn_password
from tests.tui_helpers import screen_lines, wait_for

STALE = "last data shown · disconnected"


class Cluster:
    """A native cluster on its own data dir: stopped and started again, it keeps its port and password."""

    def __init__(self, data: Path) -> None:
        self.data = data
        self.engine: RunningEngine | None = None

    def start(self) -> str:
        try:
            self.engine = native.start(self.data)
        except ConsoleError as exc:
            if IN_CI:
                raise
            pytest.skip(f"native engine unavailable: {exc.message}")
        register_dsn_password(self.engine.dsn)
        return self.engine.dsn

    def stop(self) -> None:
        if self.engine is not None:
            self.engine.stop()
            self.engine = None


@pytest.fixture
def cluster() -> Iterator[Cluster]:
    parent = Path(tempfile.mkdtemp(prefix="obsconsole-header-"))
    parent.chmod(0o755)  # the cluster's unprivileged OS user must reach its data dir
    own = Cluster(parent / "cluster")
    try:
        yield own
    finally:
        own.stop()
        shutil.rmtree(parent, ignore_errors=True)


def _header(app: ObsConsoleApp) -> str:
    return str(app.screen.query_one(ServerHeader).render())


@pytest.mark.native
def test_jobs_screen_checks_and_retries_the_connection_and_dates_the_loss(cluster: Cluster) -> None:
    dsn = cluster.start()

    async def scenario() -> None:
        session = Session(ResolvedDsn(dsn, "test"))
        app = ObsConsoleApp(session, start_mode="jobs", refresh_s=2)
        async with app.run_test(size=(160, 40)) as pilot:
            jobs = app.screen
            assert isinstance(jobs, JobsScreen)
            await wait_for(pilot, lambda: jobs.loaded is not None and "● connected" in _header(app))
            stopped = clock.now()
            cluster.stop()
            # Nothing on the Jobs screen polls: the header's own check finds the loss.
            await wait_for(pilot, lambda: "disconnected since" in _header(app), timeout=30)
            since = session.state.disconnected_since
            assert since is not None and since >= stopped
            said = _header(app)
            assert f"disconnected since {fmt.clock(since)} (" in said and " UTC (" in said, said
            assert session.state.last_error and f"— {session.state.last_error[:20]}" in said, said
            # The screen hears of the loss from the header's message, a moment after the header shows it.
            shown = jobs.query_one("#jobs-summary", Static)
            await wait_for(pilot, lambda: str(shown.render()).startswith(STALE))
            # At 80 columns the header takes the lines it needs: the loss, its time, the retry and the cause whole.
            await pilot.resize_terminal(80, 24)
            header = app.screen.query_one(ServerHeader)
            await wait_for(pilot, lambda: header.size.width == 80 and header.size.height >= 2)
            await pilot.pause()
            lines = screen_lines(app)[:header.size.height]
            assert lines[1].startswith(f" ✖ disconnected since {fmt.clock(since)}"), lines
            words = " ".join(" ".join(lines).split())
            assert f"disconnected since {fmt.clock(since)}" in words and ", retrying — " in words, lines
            assert " ".join(session.state.last_error.split()) in words, (session.state.last_error, lines)
            assert all(len(line.rstrip()) <= 80 for line in lines) and "…" not in words, lines
            await pilot.resize_terminal(160, 40)
            await wait_for(pilot, lambda: header.size.width == 160)

            # Back on the dashboard, the loss still dates from the first failure, not the moment of return.
            await pilot.press("d")
            await wait_for(pilot, lambda: isinstance(app.screen, DashboardScreen)
                           and "disconnected since" in _header(app))  # its first refresh meets the loss too
            dashboard = app.screen
            assert isinstance(dashboard, DashboardScreen)
            # Its first refresh has met the loss: the retry is scheduled.
            await wait_for(pilot, lambda: dashboard._timer is not None and not any(
                w.group == "dashboard" and not w.is_finished for w in app.workers))
            assert session.state.disconnected_since == since
            assert f"disconnected since {fmt.clock(since)} (" in _header(app)

            # The Jobs screen retries by itself: the server back, it says connected and reads the jobs again.
            await pilot.press("j")
            await wait_for(pilot, lambda: isinstance(app.screen, JobsScreen))
            before = jobs.loaded
            cluster.start()
            await wait_for(pilot, lambda: "● connected" in _header(app), timeout=30)
            await wait_for(pilot, lambda: jobs.loaded is not before)
            summary = str(jobs.query_one("#jobs-summary", Static).render())
            assert not summary.startswith(STALE) and "ran at" in summary, summary
            assert session.state.disconnected_since is None

    asyncio.run(scenario())


@pytest.mark.native
def test_interval_change_reschedules_and_the_stale_marker_survives_a_resize(cluster: Cluster) -> None:
    dsn = cluster.start()

    async def scenario() -> None:
        app = ObsConsoleApp(Session(ResolvedDsn(dsn, "test")), refresh_s=60)
        async with app.run_test(size=(160, 48)) as pilot:
            screen = app.screen
            assert isinstance(screen, DashboardScreen)
            await wait_for(pilot, lambda: screen.last_snapshot is not None, timeout=60)
            first = screen.last_snapshot
            # 60 s -> 30 -> 10 -> 5: the refresh waited for moves at once (it was 60 s away).
            await pilot.press("minus", "minus", "minus")
            assert "every 5 s" in _header(app)
            await wait_for(pilot, lambda: screen.last_snapshot is not first, timeout=20)
            # 5 s -> 60 s: the header says so, and the wait under way is the new one (no refresh for now).
            await pilot.press("plus", "plus", "plus")
            assert "every 60 s" in _header(app)

            panes = list(screen.query(PaneBox))
            cluster.stop()
            await pilot.press("r")  # a refresh meets the loss at once
            await wait_for(pilot, lambda: all(p.border_subtitle == STALE for p in panes), timeout=30)
            await pilot.resize_terminal(100, 40)
            await wait_for(pilot, lambda: app.size == (100, 40) and all(p.size.width < 100 for p in panes))
            await pilot.pause()
            assert [p.border_subtitle for p in panes] == [STALE] * len(panes)
            assert all(p.has_class("-stale") for p in panes)
            await pilot.resize_terminal(160, 48)
            await wait_for(pilot, lambda: app.size == (160, 48))
            await pilot.pause()
            assert [p.border_subtitle for p in panes] == [STALE] * len(panes)

            cluster.start()  # fresh data replaces the marker
            await wait_for(pilot, lambda: all(p.border_subtitle != STALE for p in panes), timeout=30)
            assert not any(p.has_class("-stale") for p in panes)

    asyncio.run(scenario())
