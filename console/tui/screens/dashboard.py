"""The dashboard: the five panes, refreshed off the UI thread every N seconds; polls never overlap. Operator
actions on the row under the cursor (row_actions: a hypertable's chunks, policies, an aggregate's refresh) ask
one line, then confirm (hidden in read-only mode); the panes refresh after one succeeds."""

from __future__ import annotations

from datetime import datetime
from functools import partial

from textual import events, work
from textual.app import ComposeResult
from textual.containers import Grid
from textual.timer import Timer
from textual.widgets import DataTable
from textual.worker import get_current_worker

from console.infra import clock, fmt
from console.infra.session import Disconnected
from console.panes import REGISTRY, CostWindow, Job, PaneOptions, Snapshot
from console.panes.catalog.cache import PaneCache
from console.recording.refresh import refresher
from console.tui.palette_items import PaletteCommand
from console.tui.registry import Key
from console.tui.screen_keys import DASHBOARD
from console.tui.screens import row_actions
from console.tui.screens.action_confirm import ask_action, read_only
from console.tui.screens.base import ConsoleScreen
from console.tui.screens.jobs import open_job_details
from console.tui.screens.row_actions import RowAction
from console.tui.widgets.line_fit import Part
from console.tui.widgets.pane_box import PaneBox
from console.tui.widgets.server_header import CHECK_S, ServerHeader

WINDOWS = ("1h", "24h", "7d", "30d")
INTERVAL_STEPS = (1.0, 2.0, 5.0, 10.0, 30.0, 60.0)
TWO_COLUMNS_FROM = 140  # narrower: the panes stack, full width, and scroll (Tab moves between them)


class DashboardScreen(ConsoleScreen):
    SCREEN_TITLE = "Dashboard"
    KEYS = DASHBOARD
    BINDINGS = DASHBOARD.bindings()

    def __init__(self) -> None:
        super().__init__()
        self.paused = False
        self.window = "24h"
        self.last_snapshot: Snapshot | None = None
        self._timer: Timer | None = None
        self._suspended = False
        self.charts_on = True
        self._refreshed: tuple[datetime, float] | None = None
        self._waiting_since = 0.0  # clock.counter() when the wait for the next refresh began
        self._asked = False  # a refresh asked for (not the timer's) is under way: the header says "refreshing…"
        self._offered: tuple[str, ...] = ()  # the row actions the footer shows
        self.cache = PaneCache()  # the chunk catalog and sizes kept between refreshes (cheap at 10,000 chunks)

    def compose_body(self) -> ComposeResult:
        order = ("cost", "chunks", "compression", "jobs", "retention")
        panes = {p.name: p for p in REGISTRY}
        with Grid(id="dashboard-grid"):
            for name in order:
                yield PaneBox(name, panes[name].title, id=f"pane-{name}")

    @property
    def interval(self) -> float:
        return self.context.refresh_s

    def on_mount(self) -> None:
        self.set_class(self.size.width < TWO_COLUMNS_FROM, "-narrow")
        self.action_refresh_now()

    def on_resize(self, event: events.Resize) -> None:
        self.set_class(event.size.width < TWO_COLUMNS_FROM, "-narrow")

    def on_screen_suspend(self) -> None:
        self._suspended = True
        self._cancel_timer()

    def on_screen_resume(self) -> None:
        if self._suspended:
            self._suspended = False
            self.action_refresh_now()

    # Refresh loop ---------------------------------------------------------------------------------------------
    def action_refresh_now(self) -> None:
        """A refresh asked for (`r`, a key that changes what is shown, a return): the header says so until it
        lands."""
        self._asked = True
        self._show_state()
        self._due()

    def _due(self) -> None:
        self._cancel_timer()
        self._refresh(self.window)

    def _cancel_timer(self) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer = None

    def _schedule_next(self, delay: float) -> None:
        self._cancel_timer()
        self._waiting_since = clock.counter()
        self._start_timer(delay)

    def _start_timer(self, delay: float) -> None:
        if not self.paused and not self._suspended:
            self._timer = self.set_timer(delay, self._due)

    @work(thread=True, exclusive=True, group="dashboard", exit_on_error=False)
    def _refresh(self, window: str) -> None:
        options = PaneOptions(window=CostWindow.last(window), cache=self.cache)
        recorder = self.context.recorder
        started = clock.counter()
        try:
            snapshot = self.session.call(refresher(options, recorder))
        except Disconnected as exc:
            if recorder is not None:
                recorder.outage(exc.message)
            if not get_current_worker().is_cancelled:
                self.app.call_from_thread(self._disconnected)
            return
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._apply, snapshot, clock.elapsed_ms(started))

    def _apply(self, snapshot: Snapshot, elapsed_ms: float) -> None:
        self.last_snapshot = snapshot
        self._refreshed = (clock.now(), elapsed_ms)
        self._asked = False
        for view in snapshot.views:
            self.query_one(f"#pane-{view.pane}", PaneBox).show(view)
        self._show_state()
        self._sync_row_bindings()  # a row's actions follow what it now is
        self._schedule_next(self._wait())

    def _show_state(self) -> None:
        """The header's refresh parts, at once after every change: paused or the interval, the last refresh (or
        "refreshing…"), the cost window (the first to give way: the cost pane says it too)."""
        parts = [Part(("paused" if self.paused else f"every {self.interval:g} s",))]
        if self._asked:
            parts.append(Part(("refreshing…",), "bold"))
        elif self._refreshed is not None:
            moment, elapsed_ms = self._refreshed
            parts.append(Part((f"refreshed {fmt.clock(moment)} in {elapsed_ms:.0f} ms",)))
        parts.append(Part((f"cost {self.window}", ""), gives=(2,)))
        self.header.note_refresh(parts)

    def show_error(self, group: str, message: str) -> None:
        if group != "dashboard":
            super().show_error(group, message)
            return
        for pane in self.query(PaneBox):  # the refresh failed as a whole: every pane keeps its data, marked
            pane.mark_stale(message, "refresh failed · last data shown")
        self._asked = False
        self._show_state()
        self.notify(message, title="refresh failed", severity="error", timeout=10, markup=False)
        self._schedule_next(min(self.interval, 5.0))

    def _disconnected(self) -> None:
        self._asked = False
        self._mark_stale()
        self._show_state()
        self._schedule_next(self._wait())

    def _mark_stale(self) -> None:
        for pane in self.query(PaneBox):
            pane.mark_stale("last data shown · disconnected")

    def on_server_header_connection_changed(self, event: ServerHeader.ConnectionChanged) -> None:
        """The header's own check saw the connection go or come back: say so at once, refresh at once."""
        if not event.connected:
            self._mark_stale()
        elif not self.paused and self._timer is not None and any(pane.stale_note for pane in self.query(PaneBox)):
            self.action_refresh_now()

    # Keys -----------------------------------------------------------------------------------------------------
    def action_toggle_pause(self) -> None:
        self.paused = not self.paused
        self.notify("paused" if self.paused else "resumed", title="refresh")
        self._show_state()
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
        self.notify(f"every {self.context.refresh_s:g} s", title="refresh")
        self._show_state()
        if self._timer is not None:  # the refresh waited for moves at once: the new interval after the wait began
            self._cancel_timer()
            self._start_timer(max(0.0, self._wait() - (clock.counter() - self._waiting_since)))

    def _wait(self) -> float:
        """How long to wait for the next refresh: the interval, at most CHECK_S while disconnected."""
        return self.interval if self.session.state.connected else min(self.interval, CHECK_S)

    def action_next_window(self) -> None:
        self.window = WINDOWS[(WINDOWS.index(self.window) + 1) % len(WINDOWS)]
        self.notify(f"last {self.window}", title="cost window")
        self._show_state()
        self.action_refresh_now()

    def action_toggle_charts(self) -> None:
        self.charts_on = not self.charts_on
        for pane in self.query(PaneBox):
            pane.set_charts(self.charts_on)
        self.notify("shown" if self.charts_on else "hidden", title="charts")

    def on_pane_box_row_chosen(self, event: PaneBox.RowChosen) -> None:
        """Enter on a job row opens the job's detail, as on the Jobs screen."""
        result = self.last_snapshot.pane("jobs") if self.last_snapshot else None
        if event.pane != "jobs" or result is None:
            return
        job: Job | None = next((j for j in result.rows if str(j.job_id) == event.key), None)
        if job is not None:
            open_job_details(self, job)

    # Row actions -----------------------------------------------------------------------------------------------
    def _row_actions(self) -> dict[str, RowAction]:
        """The actions on the row under the cursor of the focused pane (none in read-only mode)."""
        table = self.focused
        if read_only(self) or not isinstance(table, DataTable):
            return {}
        box = next((node for node in table.ancestors if isinstance(node, PaneBox)), None)
        if box is None:
            return {}
        key = ""
        if table.row_count:
            key = str(table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value)
        row = row_actions.target(self.last_snapshot, box.pane, key)
        return row_actions.offered(row, community=self._community()) if row is not None else {}

    def _community(self) -> bool:
        """Whether the server runs TimescaleDB Community (unknown before the first connection: offered)."""
        info = self.session.state.info
        return info is None or info.community

    def withheld_actions(self) -> list[tuple[str, str, str]]:
        """The row actions this server's edition would only refuse: not offered (the footer, the palette), said
        in `?`."""
        info = self.session.state.info
        if info is None or info.community or read_only(self):
            return []
        why = f"the {info.edition} edition refuses it: TimescaleDB Community only"
        return [(self.keys_of(f"row('{verb}')"), action, why) for verb, action in (
            ("compress", "Compress chunks"), ("decompress", "Decompress chunks"), ("policy", "Set a policy"),
            ("refresh", "Refresh an aggregate"))]

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Row actions are shown only where they apply to the row under the cursor (never in read-only mode)."""
        return bool(super().check_action(action, parameters)) and (
            action != "row" or parameters[0] in self._row_actions())

    def on_data_table_row_highlighted(self, _event: DataTable.RowHighlighted) -> None:
        self._sync_row_bindings()

    def _sync_row_bindings(self) -> None:
        """Redraw the footer's keys when the row actions on offer changed. Only then: Textual's footer rebuilds
        itself on every refresh_bindings() and keeps ~0.2 MiB each time (measured: +13 MiB a minute at a 1 s
        refresh when it ran on every refresh, flat without)."""
        offered = tuple(sorted(self._row_actions()))
        if offered != self._offered:
            self._offered = offered
            self.refresh_bindings()

    def action_row(self, verb: str) -> None:
        action = self._row_actions().get(verb)
        if action is not None:
            ask_action(self, action.question, action.example, action.build, on_success=self.action_refresh_now)

    def palette_actions(self) -> list[PaletteCommand]:
        """The actions on the row under the cursor, for the command palette."""
        return [PaletteCommand(a.title, partial(self.action_row, a.verb),
                               f"{self.keys_of(f'row({a.verb!r})')}: asks e.g. {a.example}, then confirms")
                for a in self._row_actions().values()]

    def palette_name(self, key: Key) -> str:
        """The palette's names of the moment: pause or resume, the window that comes next, hide or show."""
        following = WINDOWS[(WINDOWS.index(self.window) + 1) % len(WINDOWS)]
        return {"dashboard.pause": "Resume refresh" if self.paused else "Pause refresh",
                "dashboard.window": f"Cost window: next ({following})",
                "dashboard.charts": "Hide charts" if self.charts_on else "Show charts"}.get(key.id, key.palette)
