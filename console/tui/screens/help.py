"""The `?` overlay: every key the current screen and the app answer to, then the actions the screen does not
offer on this server (the server could only refuse them), with the reason."""

from __future__ import annotations

from rich.table import Table
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Static


class HelpScreen(ModalScreen[None]):
    """Lists (key, action) pairs captured from the screen that opened it."""

    BINDINGS = [Binding("escape,question_mark,q", "dismiss", "Close")]

    def __init__(self, screen_name: str, keys: list[tuple[str, str]],
                 withheld: list[tuple[str, str, str]] | None = None) -> None:
        super().__init__()
        self.screen_name = screen_name
        self.keys = keys
        self.withheld = withheld or []  # (keys, action, why): not offered on this server

    def compose(self) -> ComposeResult:
        table = Table("key", "action", title=f"Keys on {self.screen_name}", expand=True)
        for key, description in self.keys:
            table.add_row(key, description)
        with VerticalScroll(id="help-box"):
            yield Static(table)
            if self.withheld:
                absent = Table("key", "action", "why", title="Not offered on this server", expand=True)
                for keys, action, why in self.withheld:
                    absent.add_row(keys, action, why)
                yield Static(absent, id="help-withheld")
            yield Static("Ctrl+P opens the command palette. Escape closes this help.", classes="hint")

    async def action_dismiss(self, result: None = None) -> None:
        self.dismiss(result)


def keys_in_force(app: App[None]) -> list[tuple[str, str]]:
    """(keys, description) of every binding in force: the screen's and the app's own first, then those of the
    focused widget."""
    by_action: dict[str, tuple[list[str], str, bool]] = {}
    for _key, (node, binding, enabled, _tooltip) in app.active_bindings.items():
        if enabled:
            own = isinstance(node, App | Screen) and binding.id is not None  # the console's, not Textual's
            keys, _description, _own = by_action.setdefault(
                binding.action, ([], binding.description or binding.action, own))
            display = app.get_key_display(binding)
            if display not in keys:
                keys.append(display)
    ordered = sorted(by_action.values(), key=lambda entry: not entry[2])
    return [(", ".join(keys), description) for keys, description, _own in ordered]
