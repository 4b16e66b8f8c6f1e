"""The replay console and `obsconsole --record`, through Textual's pilot against the real tsl engine: the console
records what its dashboard shows; the replay console shows a recording across a change (chunks created and
compressed) with the same view models, steps, goes to a time, plays, and lists the events of the moment."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import psycopg
import pytest

from console.infra.dsn import ResolvedDsn
from console.infra.session import Session
from console.panes import CostWindow, PaneOptions
from console.panes.catalog.cache import PaneCache
from console.recording.recorder import Recorder, Schedule
from console.recording.refresh import refresher
from console.recording.replay import Timeline, moment
from console.recording.store import Reader
from console.tui.app import ObsConsoleApp
from console.tui.replay import ReplayApp
from console.tui.screens.dashboard import DashboardScreen
from console.tui.screens.replay import ReplayScreen
from console.tui.widgets.event_list import EventList
from console.tui.widgets.pane_box import PaneBox
from console.tui.widgets.replay_header import ReplayHeader
from tests.conftest import CliResult, TestDb
from tests.tui_helpers import wait_for

Cli = Callable[..., CliResult]


def _target(dsn: str) -> ResolvedDsn:
    from console.infra import dsn as dsn_mod

    return dsn_mod.resolve(dsn)


@pytest.mark.tsl
def test_console_records_what_its_dashboard_shows(tsl_db: TestDb, tmp_path: Path) -> None:
    out = tmp_path / "console.obsrec"
    target = _target(tsl_db.dsn)
    recorder = Recorder(out, target, Schedule(every=timedelta(seconds=1), verify_every=None))
    session = Session(target)

    async def run() -> None:
        app = ObsConsoleApp(session, refresh_s=1, recorder=recorder)
        async with app.run_test(size=(160, 48)) as pilot:
            await wait_for(pilot, lambda: isinstance(app.screen, DashboardScreen)
                           and app.screen.last_snapshot is not None)
            screen = app.screen
            assert isinstance(screen, DashboardScreen)
            await pilot.press("p")  # paused: a refresh still under way lands, then nothing moves

            def same() -> bool:
                shown = screen.last_snapshot
                with Reader(out) as reader:
                    recorded = moment(reader, reader.last).snapshot
                # the same view models, cell for cell, and the same typed results
                return (shown is not None and recorded is not None and recorded.views == shown.views
                        and [r.result for r in recorded.refreshed] == shown.panes)

            await wait_for(pilot, same, timeout=15)

    try:
        asyncio.run(run())
    finally:
        session.close()
        recorder.close()


def _record(target: ResolvedDsn, out: Path, snapshots: int) -> None:
    """`snapshots` snapshots into `out`, as `obsconsole record` takes them (one session, the pane cache)."""
    recorder = Recorder(out, target, Schedule(every=timedelta(seconds=60), verify_every=None))
    session = Session(target)
    options = PaneOptions(window=CostWindow.last("24h"), cache=PaneCache())
    try:
        for _ in range(snapshots):
            session.call(refresher(options, recorder))
    finally:
        session.close()
        recorder.close()


@pytest.mark.tsl
def test_replay_console_before_and_after_a_change(cli: Cli, tsl_migrated_db: TestDb, tmp_path: Path) -> None:
    out = tmp_path / "change.obsrec"
    target = _target(tsl_migrated_db.dsn)
    _record(target, out, 2)
    with psycopg.connect(tsl_migrated_db.dsn, autocommit=True, prepare_threshold=None) as conn:
        conn.execute("SET default_transaction_read_only = off")
        for day in range(3):  # three daily chunks of llm_logs, one of them compressed
            conn.execute("INSERT INTO llm_logs (ts, service_name, log_level, message) VALUES "
                         f"(now() - interval '{day + 2} days', 'replay-test', 'info', 'hello')")
        conn.execute("SELECT compress_chunk(c) FROM show_chunks('llm_logs', older_than => interval '3 days') c")
    _record(target, out, 2)

    reader = Reader(out)
    timeline = Timeline(reader)
    assert len(timeline.times) == 4
    before, after = (moment(reader, timeline.times[i]) for i in (1, 2))
    assert before.snapshot is not None and after.snapshot is not None

    async def run() -> None:
        app = ReplayApp(timeline)
        async with app.run_test(size=(160, 48)) as pilot:
            await wait_for(pilot, lambda: isinstance(app.screen, ReplayScreen) and app.screen.current is not None)
            screen = app.screen
            assert isinstance(screen, ReplayScreen)
            header = screen.query_one(ReplayHeader)
            events = screen.query_one(EventList)

            def header_text() -> str:
                return str(header.render())

            assert "REPLAY" in header_text() and f"{timeline.times[3]:%Y-%m-%d %H:%M:%S} UTC" in header_text()
            assert "4 of 4" in header_text()
            await pilot.press("left")  # the moment after the change
            await wait_for(pilot, lambda: "3 of 4" in header_text())
            assert f"{timeline.times[2]:%Y-%m-%d %H:%M:%S} UTC" in header_text()
            for view in after.snapshot.views:  # type: ignore[union-attr]
                assert screen.query_one(f"#pane-{view.pane}", PaneBox).view == view
            listed = str(events.render())
            assert "chunks created" in listed and "public.llm_logs: 3 created" in listed, listed
            assert "chunks compressed" in listed
            await pilot.press("left")  # the moment before: as it was, no events
            await wait_for(pilot, lambda: "2 of 4" in header_text())
            for view in before.snapshot.views:  # type: ignore[union-attr]
                assert screen.query_one(f"#pane-{view.pane}", PaneBox).view == view
            assert str(events.render()) == "none"
            chunks = screen.query_one("#pane-chunks", PaneBox).view
            assert chunks is not None and chunks != after.snapshot.views[0]  # type: ignore[union-attr]

            # g: go to a time (the first moment, by its ISO time), then space plays to the end at 60x.
            await pilot.press("g")
            await pilot.pause()
            await pilot.press(*f"{timeline.times[0]:%Y-%m-%dT%H:%M:%S.%f}Z", "enter")
            await wait_for(pilot, lambda: "1 of 4" in header_text())
            await pilot.press("f")
            await wait_for(pilot, lambda: screen.speed == 60)
            await pilot.press("space")  # the moments are seconds apart: at 60x it runs through them at once
            await wait_for(pilot, lambda: "4 of 4" in header_text(), timeout=60)
            await wait_for(pilot, lambda: not screen.playing and "paused" in header_text())
            # a time outside the recording: one error, the moment kept
            await pilot.press("g")
            await pilot.pause()
            await pilot.press(*"2020-01-01T00:00Z", "enter")
            await pilot.pause()
            assert "4 of 4" in header_text()

    try:
        asyncio.run(run())
    finally:
        reader.close()


def test_replay_opens_no_connection_and_refuses_a_bad_file(tmp_path: Path) -> None:
    from tests.test_recording import _tiny_recording

    good = tmp_path / "tiny.obsrec"
    _tiny_recording(good, moments=3)
    reader = Reader(good)
    timeline = Timeline(reader)

    async def run() -> None:
        app = ReplayApp(timeline)
        async with app.run_test(size=(80, 24)) as pilot:
            await wait_for(pilot, lambda: isinstance(app.screen, ReplayScreen) and app.screen.current is not None)
            assert "2026-01-10 03:02:00 UTC" in str(app.screen.query_one(ReplayHeader).render())
            await pilot.press("right")  # at the end already: says so, stays
            await pilot.pause()
            assert "3 of 3" in str(app.screen.query_one(ReplayHeader).render())

    try:
        asyncio.run(run())
    finally:
        reader.close()
