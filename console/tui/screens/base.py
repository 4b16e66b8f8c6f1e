"""What every console screen shares: the server header on top, the footer with its keys below."""

from __future__ import annotations

from textual.actions import parse
from textual.app import ComposeResult
from textual.screen import Screen
from textual.worker import Worker, WorkerState

from console.infra import boundary
from console.infra.fmt import printable
from console.infra.session import Session
from console.tui import registry
from console.tui.context import ConsoleContext, HasContext
from console.tui.palette_items import PaletteCommand
from console.tui.registry import Key, ScreenKeys
from console.tui.widgets.key_footer import KeyFooter
from console.tui.widgets.server_header import ServerHeader


class ConsoleScreen(Screen[None]):
    """A full screen of the console; subclasses yield their body from `compose_body` and declare their keys in
    KEYS (console/tui/screen_keys.py), from which BINDINGS, the palette entries and the hints come."""

    SCREEN_TITLE = ""
    KEYS = ScreenKeys("", ())

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
        yield KeyFooter()

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
        key = self.KEYS.by_action(action)
        return ", ".join(registry.keys_in_force(self.app, key)) if key is not None else ""

    def key(self, binding_id: str) -> str:
        """The first key of the binding `binding_id` of this screen, as the footer shows it."""
        return registry.first_key(self.app, self.KEYS[binding_id])

    def hint(self, *binding_ids: str) -> str:
        """'r: re-run, e: export JSON': the keys `binding_ids` this screen offers now, as in force."""
        return registry.hint(self, self.KEYS, *binding_ids)

    def writes(self, action: str, parameters: tuple[object, ...]) -> bool:
        """Whether the key of `action(parameters)` changes the server."""
        return any(key.writes and parse(key.action)[1:] == (action, parameters) for key in self.KEYS.keys)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """A console opened read-only binds no key that writes (console.infra.write_gate's switch)."""
        return not (self.context.read_only and self.writes(action, parameters))

    def palette_commands(self) -> list[PaletteCommand]:
        """The screen's own keys that have a palette entry and are offered now."""
        return registry.palette(self, self.KEYS, self.palette_name)

    def palette_name(self, key: Key) -> str:
        """The palette entry of `key` (a screen may name one after its state: "Resume refresh")."""
        return key.palette

    @property
    def header(self) -> ServerHeader:
        return self.query_one(ServerHeader)
