"""The header line: server (password masked), versions, edition, connection state, last refresh. On every screen
it checks the connection itself and retries it after a loss (the dashboard's refreshes count as checks)."""

from __future__ import annotations

from rich.text import Text
from textual.message import Message
from textual.widgets import Static

from console.infra import clock, fmt
from console.infra.fmt import printable
from console.infra.session import Session

CHECK_S = 5.0  # the server is pinged when it has not answered for this long; after a loss, a reconnect as often


class ServerHeader(Static):
    """Redraws itself from the session's state every second; when the server has not answered anything for
    CHECK_S seconds (a screen that does not poll, a loss) it pings, reconnecting first after a loss, off the UI
    thread."""

    DEFAULT_CLASSES = "server-header"

    class ConnectionChanged(Message):
        """The connection was lost, or came back (`connected`)."""

        def __init__(self, connected: bool) -> None:
            super().__init__()
            self.connected = connected

    def __init__(self, session: Session, title: str) -> None:
        super().__init__()
        self.session = session
        self.title_text = title
        self.refresh_note = ""
        self._last_check = clock.counter()
        self._was_connected: bool | None = None

    def on_mount(self) -> None:
        self.update_state()
        self.set_interval(1.0, self._tick)

    def note_refresh(self, note: str) -> None:
        """Set the 'last refresh ... took ...' part (the dashboard calls this)."""
        self.refresh_note = note
        self.update_state()

    def _tick(self) -> None:
        self.update_state()
        if clock.counter() - self._last_check >= CHECK_S:
            self._last_check = clock.counter()
            self.run_worker(lambda: self._check(CHECK_S), thread=True, exclusive=True, group="connection-check",
                            exit_on_error=False)

    def _check(self, fresh_s: float) -> None:
        if self.session.check(fresh_s) is not None:
            self.app.call_from_thread(self.update_state)

    def update_state(self) -> None:
        state = self.session.state
        line = Text(no_wrap=True, overflow="ellipsis")
        line.append(f" obsconsole · {self.title_text} ", style="bold reverse")
        line.append(f" {printable(state.endpoint)}", style="bold")
        if state.connected:
            line.append(" ● connected", style="green")
        elif state.disconnected_since is not None:
            since = fmt.clock(state.disconnected_since)
            line.append(f" ✖ disconnected since {since} ({fmt.since(state.disconnected_since)}), retrying",
                        style="bold red")
            if state.last_error:
                line.append(f" — {printable(state.last_error)}", style="red")
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
        if state.disconnected_since is not None or state.connected:
            if self._was_connected is not None and self._was_connected != state.connected:
                self.post_message(self.ConnectionChanged(state.connected))
            self._was_connected = state.connected
