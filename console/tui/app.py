"""The obsconsole Textual app: modes for the Dashboard, Migrations, Verify and Jobs screens."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from textual.app import App
from textual.notifications import Notification, Notify, SeverityLevel
from textual.screen import Screen

from console.infra.fmt import printable
from console.infra.resources import MIGRATIONS_DIR
from console.infra.session import Session
from console.tui.context import ConsoleContext, HasContext
from console.tui.palette import ConsoleCommands
from console.tui.palette_items import WithholdsActions
from console.tui.screen_keys import APP, TEXTUAL_HELP_QUIT
from console.tui.screens.dashboard import DashboardScreen
from console.tui.screens.help import HelpScreen, keys_in_force
from console.tui.settings import ConsoleSettings

if TYPE_CHECKING:
    from console.fleet.probe import FleetMonitor
    from console.recording.recorder import Recorder


# The screens other than the dashboard are imported when first shown: the first frame waits only for the dashboard
# (tests/test_startup.py).
def _fleet() -> Screen[None]:
    from console.tui.screens.fleet import FleetScreen

    return FleetScreen()


def _jobs() -> Screen[None]:
    from console.tui.screens.jobs import JobsScreen

    return JobsScreen()


def _migrations() -> Screen[None]:
    from console.tui.screens.migrations import MigrationsScreen

    return MigrationsScreen()


def _verify() -> Screen[None]:
    from console.tui.screens.verify import VerifyScreen

    return VerifyScreen()


TOASTS = 3  # shown at most, the latest: with the footer under them they stay clear of the header at 80x24


class ObsConsoleApp(App[None], HasContext, inherit_bindings=False):
    """One Session (one connection) shared by every screen. Textual's own ctrl+q is the console's quit key
    (app.quit, q and ctrl+q), so a keymap that moves quit moves both and the footer shows where it went."""

    CSS_PATH = "app.tcss"
    TITLE = "obsconsole"
    BINDINGS = [*APP.bindings(), TEXTUAL_HELP_QUIT]
    MODES = {
        "fleet": _fleet,
        "dashboard": DashboardScreen,
        "jobs": _jobs,
        "migrations": _migrations,
        "verify": _verify,
    }

    COMMANDS = {ConsoleCommands}  # Textual's system commands included (one provider: a stable order)

    def __init__(self, session: Session, *, refresh_s: float = 5.0, migrations_dir: Path = MIGRATIONS_DIR,
                 start_mode: str = "dashboard", read_only: bool = False,
                 keymap: Mapping[str, str] | None = None, fleet: FleetMonitor | None = None,
                 recorder: Recorder | None = None) -> None:
        """`refresh_s`, `read_only` and `keymap`: the settings (console/tui/settings.py, as the launchers gather
        them) on the session's database."""
        # NO_COLOR: no colour at all (Textual would otherwise draw its theme in greys with 256-colour codes).
        super().__init__(ansi_color="NO_COLOR" in os.environ)
        self.settings = ConsoleSettings(session.target, read_only, refresh_s, keymap or {})
        self.context = ConsoleContext(session, migrations_dir, self.settings, fleet, recorder)
        self.opened: str | None = None  # in the fleet: the database whose dashboard is open
        self.start_mode = start_mode

    @property
    def user_keymap(self) -> Mapping[str, str]:
        """Binding id -> keys (console/tui/keymap.py)."""
        return self.settings.keymap

    def notify(self, message: str, *, title: str = "", severity: SeverityLevel = "information",
               timeout: float | None = None, markup: bool = True) -> None:
        """Every toast, escaped: its text may hold names from the server (never markup, never a control
        sequence)."""
        super().notify(printable(message), title=printable(title), severity=severity, timeout=timeout, markup=False)

    def on_notify(self, event: Notify) -> None:
        """Before Textual shows a toast: the earlier ones of its kind (its title, or its text if it has none: an
        interval change replaces the last) give way, and only the latest few stay."""
        kind = _kind(event.notification)
        kept = [shown for shown in self._notifications if _kind(shown) != kind][-(TOASTS - 1):]
        for shown in list(self._notifications):
            if shown not in kept:
                self._unnotify(shown, refresh=False)

    def on_mount(self) -> None:
        if self.user_keymap:
            self.set_keymap(dict(self.user_keymap))
        self.switch_mode(self.start_mode)

    def action_help(self) -> None:
        """The keys in force: the screen's and the app's own first, then those of the focused widget; then the
        actions the screen does not offer on this server, and why."""
        withheld = self.screen.withheld_actions() if isinstance(self.screen, WithholdsActions) else []
        self.push_screen(HelpScreen(type(self.screen).__name__.removesuffix("Screen"), keys_in_force(self), withheld))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """In the fleet, the screens of one database are its dashboard only, left with Escape. The key of the screen
        shown is disabled (it would do nothing): the footer dims it, or leaves it out first when short of room."""
        if self.context.fleet is None:
            if action == "switch_mode" and parameters == (self.current_mode,):
                return None
            return action != "back_to_fleet"
        if action == "switch_mode":
            return False
        if action == "back_to_fleet":
            return self.opened is not None and isinstance(self.screen, DashboardScreen)
        return True

    def action_open_database(self, name: str) -> None:
        """In the fleet: the dashboard of `name` (the fleet's monitor already handed its connection over)."""
        fleet = self.context.fleet
        target = next((t for t in fleet.targets if t.name == name), None) if fleet else None
        if target is None:
            return
        self.context.session.close()
        self.context.session = Session(target.dsn)
        self.opened = name
        self.push_screen(DashboardScreen())

    def action_back_to_fleet(self) -> None:
        if self.opened is None or self.context.fleet is None:
            return
        self.pop_screen()
        self.context.session.close()
        self.context.fleet.release(self.opened)
        self.opened = None

    def on_unmount(self) -> None:
        self.context.session.close()


def _kind(notification: Notification) -> str:
    return notification.title or notification.message
