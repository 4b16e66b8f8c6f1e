"""The command palette (Ctrl+P): the console's screens, help, and the actions the current screen offers on its
selected row (none in read-only mode)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Protocol, runtime_checkable

from textual.command import DiscoveryHit, Hit, Hits, Provider

from console.tui.context import HasContext


@dataclass(frozen=True)
class PaletteCommand:
    """One palette entry."""

    name: str
    run: Callable[[], object]
    help: str = ""


@runtime_checkable
class OffersActions(Protocol):
    """A screen whose selected row has actions (e.g. the Jobs screen)."""

    def palette_actions(self) -> list[PaletteCommand]: ...


class ConsoleCommands(Provider):
    """Lists the console's commands; fuzzy-matched by Textual's matcher."""

    def _commands(self) -> list[PaletteCommand]:
        app = self.app
        commands = [PaletteCommand(f"Go to {title}", partial(app.switch_mode, mode), f"switch to the {title} screen")
                    for mode, title in (("dashboard", "Dashboard"), ("migrations", "Migrations"),
                                        ("verify", "Verify"), ("jobs", "Jobs"))]
        commands.append(PaletteCommand("Keys and help", partial(app.run_action, "help"), "the keys of this screen"))
        read_only = isinstance(app, HasContext) and app.context.read_only
        if not read_only and isinstance(self.screen, OffersActions):
            commands += self.screen.palette_actions()
        return commands

    async def discover(self) -> Hits:
        for command in self._commands():
            yield DiscoveryHit(command.name, command.run, help=command.help)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for command in self._commands():
            score = matcher.match(command.name)
            if score > 0:
                yield Hit(score, matcher.highlight(command.name), command.run, help=command.help)
