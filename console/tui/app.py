"""The obsconsole Textual app: modes for the Dashboard, Migrations, Verify and Jobs screens."""

from __future__ import annotations

import os
from pathlib import Path

from textual.app import App
from textual.binding import Binding

from console.infra.resources import MIGRATIONS_DIR
from console.infra.session import Session
from console.recording.recorder import Recorder
from console.tui.context import ConsoleContext, HasContext
from console.tui.palette import ConsoleCommands
from console.tui.screens.dashboard import DashboardScreen
from console.tui.screens.help import HelpScreen, keys_in_force
from console.tui.screens.jobs import JobsScreen
from console.tui.screens.migrations import MigrationsScreen
from console.tui.screens.verify import VerifyScreen


class ObsConsoleApp(App[None], HasContext):
    """One Session (one connection) shared by every screen."""

    CSS_PATH = "app.tcss"
    TITLE = "obsconsole"
    BINDINGS = [
        Binding("d", "switch_mode('dashboard')", "Dashboard", id="app.dashboard"),
        Binding("m", "switch_mode('migrations')", "Migrations", id="app.migrations"),
        Binding("v", "switch_mode('verify')", "Verify", id="app.verify"),
        Binding("j", "switch_mode('jobs')", "Jobs", id="app.jobs"),
    ]
    MODES = {
        "dashboard": DashboardScreen,
        "jobs": JobsScreen,
        "migrations": MigrationsScreen,
        "verify": VerifyScreen,
    }

    COMMANDS = {ConsoleCommands}  # Textual's system commands included (one provider: a stable order)

    def __init__(self, session: Session, *, refresh_s: float = 5.0, migrations_dir: Path = MIGRATIONS_DIR,
                 start_mode: str = "dashboard", read_only: bool = False,
                 keymap: dict[str, str] | None = None, recorder: Recorder | None = None) -> None:
        # NO_COLOR: no colour at all (Textual would otherwise draw its theme in greys with 256-colour codes).
        super().__init__(ansi_color="NO_COLOR" in os.environ)
        self.context = ConsoleContext(session, migrations_dir, refresh_s, read_only, recorder)
        self.start_mode = start_mode
        self.user_keymap = keymap or {}  # binding id -> keys (console/tui/keymap.py)

    def on_mount(self) -> None:
        if self.user_keymap:
            self.set_keymap(self.user_keymap)
        self.switch_mode(self.start_mode)

    def action_help(self) -> None:
        """The keys in force: the screen's and the app's own first, then those of the focused widget."""
        self.push_screen(HelpScreen(type(self.screen).__name__.removesuffix("Screen"), keys_in_force(self)))

    def on_unmount(self) -> None:
        self.context.session.close()
