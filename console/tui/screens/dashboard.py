"""The dashboard: the five panes, refreshed off the UI thread every N seconds; polls never overlap."""

from __future__ import annotations

import time
from datetime import datetime

from textual import events, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid
from textual.timer import Timer
from textual.worker import get_current_worker

from console.infra.session import Disconnected
from console.panes import CostWindow, PaneOptions, Snapshot, refresh_all
from console.tui.screens.base import ConsoleScreen
from console.tui.widgets.chunks_pane import ChunksPane
from console.tui.widgets.compression_pane import CompressionPane
from console.tui.widgets.cost_pane import CostPane
from console.tui.widgets.jobs_pane import JobsPane
from console.tui.widgets.pane_box import PaneBox
from console.tui.widgets.retention_pane import RetentionPane

WINDOWS = ("1h", "24h", "7d", "30d")
COMPACT_BELOW = (120, 36)  # width, height: charts hidden below this size
INTERVAL_STEPS = (1.0, 2.0, 5.0, 10.0, 30.0, 60.0)


class DashboardScreen(ConsoleScreen):
    SCREEN_TITLE = "Dashboard"
    BINDINGS = [
        Binding("r", "refresh_now", "Refresh"),
        Binding("p,space", "toggle_pause", "Pause"),
        Binding("plus,equals_sign", "slower", "Refresh less often", key_display="+", show=False),
        Binding("minus", "faster", "Refresh more often", key_display="-", show=False),
        Binding("w", "next_window", "Cost window"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.paused = False
        self.window = "24h"
        self.last_snapshot: Snapshot | None = None
        self._timer: Timer | None = None
        self._suspended = False

    def compose_body(self) -> ComposeResult:
        with Grid(id="dashboard-grid"):
            yield CostPane(id="pane-cost")
            yield ChunksPane(id="pane-chunks")
            yield CompressionPane(id="pane-compression")
            yield JobsPane(id="pane-jobs")
            yield RetentionPane(id="pane-retention")

    @property
    def interval(self) -> float:
        return self.context.refresh_s

    def on_mount(self) -> None:
        self._update_layout(self.size.width, self.size.height)
        self.action_refresh_now()

    def on_resize(self, event: events.Resize) -> None:
        self._update_layout(event.size.width, event.size.height)

    def _update_layout(self, width: int, height: int) -> None:
        self.set_class(width < COMPACT_BELOW[0] or height < COMPACT_BELOW[1], "-compact")

    def on_screen_suspend(self) -> None:
        self._suspended = True
        self._cancel_timer()

    def on_screen_resume(self) -> None:
        if self._suspended:
            self._suspended = False
            self.action_refresh_now()

    # Refresh loop ---------------------------------------------------------------------------------------------
    def action_refresh_now(self) -> None:
        self._cancel_timer()
        self._refresh(self.window)

    def _cancel_timer(self) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer = None

    def _schedule_next(self, delay: float) -> None:
        self._cancel_timer()
        if not self.paused and not self._suspended:
            self._timer = self.set_timer(delay, self.action_refresh_now)

    @work(thread=True, exclusive=True, group="dashboard", exit_on_error=False)
    def _refresh(self, window: str) -> None:
        options = PaneOptions(window=CostWindow.last(window))
        started = time.perf_counter()
        try:
            snapshot = self.session.call(lambda conn, info: refresh_all(conn, info, options))
        except Disconnected:
            if not get_current_worker().is_cancelled:
                self.app.call_from_thread(self._disconnected)
            return
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._apply, snapshot, (time.perf_counter() - started) * 1000)

    def _apply(self, snapshot: Snapshot, elapsed_ms: float) -> None:
        self.last_snapshot = snapshot
        for result in snapshot.panes:
            self.query_one(f"#pane-{result.pane}", PaneBox).show(result)
        state = "paused · " if self.paused else ""
        self.header.note_refresh(f"{state}refreshed {datetime.now():%H:%M:%S} in {elapsed_ms:.0f} ms · "
                                 f"every {self.interval:g} s · cost window {self.window}")
        self._schedule_next(self.interval)

    def _disconnected(self) -> None:
        for pane in self.query(PaneBox):
            pane.mark_stale("last data shown · disconnected")
        self.header.update_state()
        self._schedule_next(min(self.interval, 5.0))

    # Keys -----------------------------------------------------------------------------------------------------
    def action_toggle_pause(self) -> None:
        self.paused = not self.paused
        self.notify("refresh paused" if self.paused else "refresh resumed")
        if self.paused:
            self._cancel_timer()
        else:
            self.action_refresh_now()

    def action_slower(self) -> None:
        self._step_interval(+1)

    def action_faster(self) -> None:
        self._step_interval(-1)

    def _step_interval(self, direction: int) -> None:
        steps = INTERVAL_STEPS
        current = min(range(len(steps)), key=lambda i: abs(steps[i] - self.interval))
        self.context.refresh_s = steps[max(0, min(len(steps) - 1, current + direction))]
        self.notify(f"refresh every {self.context.refresh_s:g} s")

    def action_next_window(self) -> None:
        self.window = WINDOWS[(WINDOWS.index(self.window) + 1) % len(WINDOWS)]
        self.notify(f"cost window: last {self.window}")
        self.action_refresh_now()
