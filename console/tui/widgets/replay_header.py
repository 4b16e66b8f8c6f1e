"""The replay console's header: REPLAY, the recorded time (UTC), where the replay stands, the server; an outage
right after the time. Fitted as the console's header is (console/tui/widgets/line_fit.py): nothing cut."""

from __future__ import annotations

from datetime import UTC, datetime

from rich.text import Text
from textual import events
from textual.widgets import Static

from console.infra.fmt import printable
from console.infra.server import ServerInfo
from console.tui.widgets.line_fit import Part, fit


class ReplayHeader(Static):
    """Redrawn by the replay screen on every step (no clock of its own: every time shown is the recording's)."""

    DEFAULT_CLASSES = "server-header replay-header"

    def __init__(self) -> None:
        super().__init__()
        self._shown: tuple[list[Part], list[list[Part]]] = ([], [])

    def show(self, recorded: datetime, position: str, state: str, endpoint: str, info: ServerInfo | None,
             outage: str | None, shown_at: datetime | None) -> None:
        title = Part((" obsconsole · REPLAY ", " REPLAY "), "bold reverse", gives=(1,), sep="")
        moment = Part((f"{recorded.astimezone(UTC):%Y-%m-%d %H:%M:%S} UTC",), "bold", sep=" ")
        where = [Part((position,)), Part((state,)), Part((printable(endpoint),), "bold")]
        if info is not None:
            tsdb = info.timescaledb_installed or "no TimescaleDB"
            pg = info.server_version.split()[0]
            where.append(Part((f"TimescaleDB {tsdb} {info.edition} · PG {pg}", f"TSDB {tsdb} {info.edition} · PG {pg}"),
                              "dim", gives=(2,)))
        lost: list[Part] = []
        if outage:  # right after the time: a second line of its own when the header does not fit one
            last = f"{shown_at.astimezone(UTC):%H:%M:%S} UTC" if shown_at else "none yet"
            lost = [Part((f"✖ server unreachable (last snapshot shown: {last}): {printable(outage)}",), "bold red",
                         sep=" ")]
        groups = [[title, moment, *where], lost] if lost else [[title, moment, *where]]
        self._shown = ([title, moment, *lost, *where], groups)
        self._draw()
        self.set_class(outage is not None, "-disconnected")

    def on_resize(self, _event: events.Resize) -> None:
        self._draw()

    def _draw(self) -> None:
        one_line, groups = self._shown
        if one_line:
            self.update(Text("\n").join(fit(one_line, groups, self.size.width or self.app.size.width)))
