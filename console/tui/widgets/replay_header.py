"""The replay console's header line: REPLAY, the recorded time (UTC), where the replay stands, the server."""

from __future__ import annotations

from datetime import UTC, datetime

from rich.text import Text
from textual.widgets import Static

from console.infra.fmt import printable
from console.infra.server import ServerInfo


class ReplayHeader(Static):
    """Redrawn by the replay screen on every step (no clock of its own: every time shown is the recording's)."""

    DEFAULT_CLASSES = "server-header replay-header"

    def show(self, recorded: datetime, position: str, state: str, endpoint: str, info: ServerInfo | None,
             outage: str | None, shown_at: datetime | None) -> None:
        line = Text(no_wrap=True, overflow="ellipsis")
        line.append(" obsconsole · REPLAY ", style="bold reverse")
        line.append(f" {recorded.astimezone(UTC):%Y-%m-%d %H:%M:%S} UTC", style="bold")
        if outage:  # first after the time: the header is cut at the terminal's width
            last = f"{shown_at.astimezone(UTC):%H:%M:%S} UTC" if shown_at else "none yet"
            line.append(f" ✖ server unreachable (last snapshot shown: {last}): {printable(outage)}",
                        style="bold red")
        line.append(f" · {position} · {state}")
        line.append(f" · {printable(endpoint)}", style="bold")
        if info is not None:
            tsdb = info.timescaledb_installed or "no TimescaleDB"
            line.append(f" · TimescaleDB {tsdb} {info.edition} · PG {info.server_version.split()[0]}", style="dim")
        self.update(line)
        self.set_class(outage is not None, "-disconnected")
