"""What every console screen shares: the server header on top, the footer with its keys below."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer
from textual.worker import Worker, WorkerState

from console.infra import boundary
from console.infra.fmt import printable
from console.infra.session import Session
from console.tui.context import ConsoleContext, HasContext
from console.tui.widgets.server_header import ServerHeader


class ConsoleScreen(Screen[None]):
    """A full screen of the console; subclasses yield their body from `compose_body`."""

    SCREEN_TITLE = ""
    # Declared here, not on the app, so the footer shows them first, even on an 80-column terminal.
    BINDINGS = [
        Binding("q", "app.quit", "Quit", id="app.quit"),
        Binding("question_mark", "app.help", "Help", key_display="?", id="app.help"),
    ]

    @property
    def context(self) -> ConsoleContext:
        assert isinstance(self.app, HasContext)
        return self.app.context

    @property
    def session(self) -> Session:
        return self.context.session

    def compose(self) -> ComposeResult:
        yield ServerHeader(self.session, self.SCREEN_TITLE)
        yield from self.compose_body()
        yield Footer()

    def compose_body(self) -> ComposeResult:
        yield from ()

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """The console's error boundary for its workers: a database, SQLAlchemy or OS error that reached a worker
        becomes one line (console.infra.boundary) shown where it belongs (`show_error`); anything else is
        reported as unexpected, not swallowed. The screen keeps running either way."""
        if event.state is WorkerState.ERROR and event.worker.error is not None:
            error = event.worker.error
            if boundary.handles(error):
                message = boundary.describe(error, f"{self.SCREEN_TITLE or 'console'} ({event.worker.group})").message
                self.show_error(event.worker.group, message)
            else:
                self.notify(printable(f"{type(error).__name__}: {error}"), title="unexpected error",
                            severity="error", timeout=15, markup=False)

    def show_error(self, group: str, message: str) -> None:
        """Show a failed worker's one line (`group` names the worker); screens put it in the part it belongs to."""
        self.notify(message, title="error", severity="error", timeout=15, markup=False)

    def keys_of(self, action: str) -> str:
        """The keys bound to `action` on this screen as the footer shows them (the user's keymap applied)."""
        keys = [self.app.get_key_display(binding) for bindings in self._bindings.key_to_bindings.values()
                for binding in bindings if binding.action == action]
        return ", ".join(dict.fromkeys(keys))

    @property
    def header(self) -> ServerHeader:
        return self.query_one(ServerHeader)
