"""The replay console: the dashboard's five panes (the same PaneBox widgets, fed the same view models the live
console built, from the recorded typed results), a header saying REPLAY and the recorded time (UTC), and the
events since the previous moment. ←/→ step, Home/End the first and last moment, `g` goes to a time, space plays
(10x or 60x the recorded pace, `f` switches)."""

from __future__ import annotations

from textual import events
from textual.app import ComposeResult
from textual.containers import Grid
from textual.screen import Screen
from textual.timer import Timer

from console.infra.errors import ConsoleError
from console.panes import REGISTRY
from console.recording import times
from console.recording.replay import Moment, Timeline
from console.tui import registry
from console.tui.palette_items import PaletteCommand
from console.tui.registry import Key
from console.tui.screen_keys import REPLAY
from console.tui.screens.action_confirm import AskScreen
from console.tui.widgets.event_list import EventList
from console.tui.widgets.key_footer import KeyFooter
from console.tui.widgets.pane_box import PaneBox
from console.tui.widgets.replay_header import ReplayHeader

SPEEDS = (10, 60)
LONGEST_WAIT_S = 5.0  # playing: a long gap in the recording (an outage, a stopped recorder) waits at most this
TWO_COLUMNS_FROM = 140
ORDER = ("cost", "chunks", "compression", "jobs", "retention")  # the dashboard's


class ReplayScreen(Screen[None]):
    SCREEN_TITLE = "Replay"
    BINDINGS = REPLAY.bindings()

    def __init__(self, timeline: Timeline) -> None:
        super().__init__()
        self.timeline = timeline
        self.playing = False
        self.speed = SPEEDS[0]
        self.charts_on = True
        self.current: Moment | None = None
        self._timer: Timer | None = None

    def compose(self) -> ComposeResult:
        yield ReplayHeader()
        panes = {p.name: p for p in REGISTRY}
        with Grid(id="dashboard-grid"):
            for name in ORDER:
                yield PaneBox(name, panes[name].title, id=f"pane-{name}")
        yield EventList(id="replay-events")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.set_class(self.size.width < TWO_COLUMNS_FROM, "-narrow")
        self.show_moment()

    def on_resize(self, event: events.Resize) -> None:
        self.set_class(event.size.width < TWO_COLUMNS_FROM, "-narrow")

    def show_moment(self) -> None:
        """Draw the moment the timeline stands at: panes, header, events."""
        moment = self.timeline.moment()
        self.current = moment
        if moment.snapshot is not None:
            for view in moment.snapshot.views:
                self.query_one(f"#pane-{view.pane}", PaneBox).show(view)
        if moment.outage is not None:
            for box in self.query(PaneBox):
                box.mark_stale("last data shown · server unreachable at this moment", "last data shown · unreachable")
        self._show_header()
        self.query_one(EventList).show(moment.events)

    def _show_header(self) -> None:
        moment = self.current
        if moment is None:
            return
        timeline = self.timeline
        position = f"{timeline.index + 1} of {len(timeline.times)}"
        state = f"playing {self.speed}x" if self.playing else "paused"
        self.query_one(ReplayHeader).show(moment.recorded, position, state, moment.endpoint,
                                          moment.snapshot.info if moment.snapshot else None, moment.outage,
                                          moment.at)

    # Keys -----------------------------------------------------------------------------------------------------
    def action_step(self, by: int) -> None:
        if self.timeline.step(by):
            self.show_moment()
        else:
            self.notify("the end of the recording" if by > 0 else "the start of the recording")

    def action_first(self) -> None:
        self.action_step(-len(self.timeline.times))

    def action_last(self) -> None:
        self.action_step(len(self.timeline.times))

    def action_toggle_play(self) -> None:
        self.playing = not self.playing
        if self.playing:
            self._schedule()
        else:
            self._cancel()
        self._show_header()

    def action_next_speed(self) -> None:
        self.speed = SPEEDS[(SPEEDS.index(self.speed) + 1) % len(SPEEDS)]
        self.notify(f"plays at {self.speed}x")
        if self.playing:
            self._schedule()
        self._show_header()

    def _cancel(self) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer = None

    def _schedule(self) -> None:
        self._cancel()
        gap = self.timeline.gap()
        if gap <= 0:
            self.playing = False
            self.notify("the end of the recording")
            self._show_header()
            return
        self._timer = self.set_timer(min(gap / self.speed, LONGEST_WAIT_S), self._advance)

    def _advance(self) -> None:
        self._timer = None
        if self.playing and self.timeline.step(1):
            self.show_moment()
            self._schedule()

    def action_go_to(self) -> None:
        first, last = self.timeline.times[0], self.timeline.times[-1]
        question = (f"Go to (ISO 8601, UTC without a zone, or an age such as 2h); recorded "
                    f"{first:%Y-%m-%d %H:%M} to {last:%Y-%m-%d %H:%M} UTC")
        self.app.push_screen(AskScreen(question, f"{last:%Y-%m-%dT%H:%M}"), self._went)

    def _went(self, answer: str | None) -> None:
        if not answer:
            return
        try:
            self.timeline.seek(times.moment(answer, "go to"))
        except ConsoleError as exc:
            self.notify(exc.message, severity="error")
            return
        self.show_moment()

    def action_toggle_charts(self) -> None:
        self.charts_on = not self.charts_on
        for pane in self.query(PaneBox):
            pane.set_charts(self.charts_on)

    def palette_commands(self) -> list[PaletteCommand]:
        """The replay's own keys, for the command palette."""
        return registry.palette(self, REPLAY, self._palette_name)

    def _palette_name(self, key: Key) -> str:
        if key.id == "replay.play":
            return "Pause" if self.playing else f"Play at {self.speed}x"
        if key.id == "replay.charts":
            return "Hide charts" if self.charts_on else "Show charts"
        return key.palette
