"""The obsconsole Textual app: modes for the Dashboard, Migrations, Verify and Jobs screens."""

from __future__ import annotations

from pathlib import Path

from textual.app import App
from textual.binding import Binding

from console.infra.resources import MIGRATIONS_DIR
from console.infra.session import Session
from console.tui.context import ConsoleContext, HasContext
from console.tui.palette import ConsoleCommands
from console.tui.screens.dashboard import DashboardScreen
from console.tui.screens.help import HelpScreen
from console.tui.screens.jobs import JobsScreen
from console.tui.screens.migrations import MigrationsScreen
from console.tui.screens.verify import VerifyScreen


class ObsConsoleApp(App[None], HasContext):
    """One Session (one connection) shared by every screen."""

    CSS_PATH = "app.tcss"
    TITLE = "obsconsole"
    BINDINGS = [
        Binding("d", "switch_mode('dashboard')", "Dashboard"),
        Binding("m", "switch_mode('migrations')", "Migrations"),
        Binding("v", "switch_mode('verify')", "Verify"),
        Binding("j", "switch_mode('jobs')", "Jobs"),
    ]
    MODES = {
        "dashboard": DashboardScreen,
        "jobs": JobsScreen,
        "migrations": MigrationsScreen,
        "verify": VerifyScreen,
    }

    COMMANDS = App.COMMANDS | {ConsoleCommands}

    def __init__(self, session: Session, *, refresh_s: float = 5.0, migrations_dir: Path = MIGRATIONS_DIR,
                 start_mode: str = "dashboard", read_only: bool = False) -> None:
        super().__init__()
        self.context = ConsoleContext(session, migrations_dir, refresh_s, read_only)
        self.start_mode = start_mode

    def on_mount(self) -> None:
        self.switch_mode(self.start_mode)

    def action_help(self) -> None:
        by_action: dict[str, tuple[list[str], str]] = {}
        for _key, (_node, binding, enabled, _tooltip) in self.active_bindings.items():
            if enabled:
                keys, _description = by_action.setdefault(binding.action, ([], binding.description or binding.action))
                display = self.get_key_display(binding)
                if display not in keys:
                    keys.append(display)
        rows = [(", ".join(keys), description) for keys, description in by_action.values()]
        self.push_screen(HelpScreen(type(self.screen).__name__.removesuffix("Screen"), rows))

    def on_unmount(self) -> None:
        self.context.session.close()
