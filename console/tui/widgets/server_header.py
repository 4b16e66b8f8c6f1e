"""The header line: server (password masked), versions, edition, connection state, last refresh."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from console.infra import fmt
from console.infra.fmt import printable
from console.infra.session import Session


class ServerHeader(Static):
    """Redraws itself from the session's state every second (no database call)."""

    DEFAULT_CLASSES = "server-header"

    def __init__(self, session: Session, title: str) -> None:
        super().__init__()
        self.session = session
        self.title_text = title
        self.refresh_note = ""

    def on_mount(self) -> None:
        self.update_state()
        self.set_interval(1.0, self.update_state)

    def note_refresh(self, note: str) -> None:
        """Set the 'last refresh ... took ...' part (the dashboard calls this)."""
        self.refresh_note = note
        self.update_state()

    def update_state(self) -> None:
        state = self.session.state
        line = Text(no_wrap=True, overflow="ellipsis")
        line.append(f" obsconsole · {self.title_text} ", style="bold reverse")
        line.append(f" {printable(state.endpoint)}", style="bold")
        if state.connected:
            line.append(" ● connected", style="green")
        elif state.disconnected_since is not None:
            since = state.disconnected_since.strftime("%H:%M:%S")
            line.append(f" ✖ disconnected since {since} ({fmt.since(state.disconnected_since)}), retrying",
                        style="bold red")
            if state.last_error:
                line.append(f" — {state.last_error}", style="red")
        else:
            line.append(" … connecting", style="yellow")
        if self.refresh_note:
            line.append(f" · {self.refresh_note}")
        if state.info is not None:
            info = state.info
            tsdb = info.timescaledb_installed or "no TimescaleDB"
            line.append(f" · TimescaleDB {tsdb} {info.edition} · PG {info.server_version.split()[0]}", style="dim")
        self.update(line)
        self.set_class(not state.connected and state.disconnected_since is not None, "-disconnected")
