"""The header: server (password masked), versions, edition, connection state, last refresh. One line when it fits
(shorter forms first: the endpoint's host, then the rest), else a line for the server and one for its state (the
cause of a loss wraps, whole words): nothing it says is cut. On every screen it checks the connection itself and
retries it after a loss (the dashboard's refreshes count as checks)."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual import events
from textual.message import Message
from textual.widgets import Static

from console.infra import clock, fmt
from console.infra.fmt import printable
from console.infra.server import ServerInfo
from console.infra.session import Session, SessionState
from console.tui.widgets.line_fit import Part, fit

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
        self.refresh_note: tuple[Part, ...] = ()
        self._last_check = clock.counter()
        self._was_connected: bool | None = None

    def on_mount(self) -> None:
        self.update_state()
        self.set_interval(1.0, self._tick)

    def note_refresh(self, parts: Sequence[Part]) -> None:
        """Set the refresh's parts: the interval, the last refresh and what it took (the dashboard calls this)."""
        self.refresh_note = tuple(parts)
        self.update_state()

    def on_resize(self, _event: events.Resize) -> None:
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
        title = Part((f" obsconsole · {self.title_text} ", f" {self.title_text} "), "bold reverse", gives=(1,), sep="")
        endpoint = Part(_endpoint_forms(printable(state.endpoint)), "bold", gives=(0,), sep=" ")
        edition = [_edition(state.info)] if state.info is not None else []
        status = [*_connection(state), *self.refresh_note]
        width = self.size.width or self.app.size.width
        lines = fit([title, endpoint, *status, *edition], [[title, endpoint, *edition], status], width)
        self.update(Text("\n").join(lines))
        self.set_class(not state.connected and state.disconnected_since is not None, "-disconnected")
        if state.disconnected_since is not None or state.connected:
            if self._was_connected is not None and self._was_connected != state.connected:
                self.post_message(self.ConnectionChanged(state.connected))
            self._was_connected = state.connected


def _connection(state: SessionState) -> list[Part]:
    """Connected, connecting, or since when it is lost (UTC), that it is retried, and why."""
    if state.connected:
        return [Part(("● connected",), "green", sep=" ")]
    if state.disconnected_since is None:
        return [Part(("… connecting",), "yellow", sep=" ")]
    since = fmt.clock(state.disconnected_since)
    lost = [Part((f"✖ disconnected since {since} ({fmt.since(state.disconnected_since)}), retrying",), "bold red",
                 sep=" ")]
    if state.last_error:
        lost.append(Part((f"— {printable(state.last_error)}",), "red", sep=" "))
    return lost


def _edition(info: ServerInfo) -> Part:
    """TimescaleDB's version and edition, PostgreSQL's version: 'TimescaleDB' shortens, then goes."""
    tsdb = info.timescaledb_installed or "no TimescaleDB"
    pg = info.server_version.split()[0]
    return Part((f"TimescaleDB {tsdb} {info.edition} · PG {pg}", f"TSDB {tsdb} {info.edition} · PG {pg}",
                 f"{tsdb} {info.edition} · PG {pg}"), "dim", gives=(3, 6))


def _endpoint_forms(endpoint: str) -> tuple[str, ...]:
    """'host:port/database', then with the host's first label only (a name, not an address)."""
    host, colon, rest = endpoint.partition(":")
    short = host.split(".")[0]
    if not colon or short == host or host.replace(".", "").isdigit():
        return (endpoint,)
    return (endpoint, f"{short}:{rest}")
