"""The replay console's list of what happened since the previous recorded moment."""

from __future__ import annotations

from datetime import UTC

from rich.text import Text
from textual.widgets import Static

from console.infra.fmt import printable
from console.recording.model import Event, Kind

_STYLE = {Kind.JOB_FAILED: "bold red", Kind.OUTAGE: "bold red", Kind.VERIFY: "yellow", Kind.ACTION: "cyan",
          Kind.CHUNKS_DROPPED: "yellow", Kind.RECONNECTED: "green"}


class EventList(Static):
    """One line per event, oldest first; says so when there is none."""

    def on_mount(self) -> None:
        self.border_title = "Events since the previous snapshot"

    def show(self, events: list[Event]) -> None:
        if not events:
            self.update(Text("none", style="dim"))
            return
        text = Text(no_wrap=True, overflow="ellipsis")
        for index, event in enumerate(events):
            if index:
                text.append("\n")
            text.append(f"{event.at.astimezone(UTC):%H:%M:%S} ", style="dim")
            text.append(f"{event.kind.value:<20}", style=_STYLE.get(event.kind, "bold"))
            text.append(f" {printable(event.detail)}")
        self.update(text)
        self.border_subtitle = f"{len(events)} event(s)"
