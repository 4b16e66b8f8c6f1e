"""The `?` overlay: every key the current screen and the app answer to (the keys in force, the user's keymap
applied) and what each does, from the registry (console/tui/screen_keys.py); then the actions the screen does not
offer on this server (the server could only refuse them), with the reason."""

from __future__ import annotations

from rich.table import Table
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

from console.tui.registry import MORE
from console.tui.screen_keys import by_id


class HelpScreen(ModalScreen[None]):
    """Lists (keys, action, what it does) rows captured from the screen that opened it."""

    BINDINGS = [Binding("escape,question_mark,q", "dismiss", "Close")]

    def __init__(self, screen_name: str, rows: list[tuple[str, str, str]],
                 withheld: list[tuple[str, str, str]] | None = None) -> None:
        super().__init__()
        self.screen_name = screen_name
        self.rows = rows
        self.keys = [(keys, action) for keys, action, _does in rows]
        self.withheld = withheld or []  # (keys, action, why): not offered on this server

    def compose(self) -> ComposeResult:
        table = Table("key", "action", "what it does", title=f"Keys on {self.screen_name}", expand=True)
        for row in self.rows:
            table.add_row(*row)
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


def keys_in_force(app: App[None]) -> list[tuple[str, str, str]]:
    """(keys, description, what it does) of every binding in force: the screen's and the app's own first (in the
    footer's order: quit and help, the screens, the row's actions, the rest), then those of the focused widget."""
    declared = by_id()
    by_action: dict[str, tuple[list[str], str, str, tuple[bool, int]]] = {}
    for _key, (node, binding, enabled, _tooltip) in app.active_bindings.items():
        if enabled:
            own = isinstance(node, App | Screen) and binding.id is not None  # the console's, not Textual's
            key = declared.get(binding.id or "")
            keys, *_rest = by_action.setdefault(
                binding.action, ([], binding.description or binding.action, key.does if key else "",
                                 (not own, key.rank if key else MORE)))
            display = app.get_key_display(binding)
            if display not in keys:
                keys.append(display)
    ordered = sorted(by_action.values(), key=lambda entry: entry[3])
    return [(", ".join(keys), description, does) for keys, description, does, _order in ordered]
