"""The command palette (Ctrl+P): the console's screens, help, the actions the current screen offers on its
selected row, every operator action behind a one-line prompt (no action in read-only mode, none the server's
edition would only refuse), then Textual's own commands (keys, maximize, quit, screenshot, theme).

One provider lists them all, Textual's after the console's: the palette gathers the hits of its providers from a
set of classes, so with two providers the order of the list (every discovery hit scores the same) changed from
one launch to the next."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider

from console.actions.plan import Request
from console.tui import registry
from console.tui.context import HasContext
from console.tui.palette_items import OffersActions, OffersCommands, PaletteCommand
from console.tui.screen_keys import APP, REPLAY_APP
from console.tui.screens import action_prompts as prompts
from console.tui.screens.action_confirm import ask_action


class ConsoleCommands(Provider):
    """Lists the console's commands; fuzzy-matched by Textual's matcher."""

    def _commands(self) -> list[PaletteCommand]:
        return self._console_commands() + self._system_commands()

    def _system_commands(self, *, discoverable_only: bool = False) -> list[PaletteCommand]:
        """Textual's own commands (what its SystemCommandsProvider would list), by name."""
        return [PaletteCommand(name, callback, help_text) for name, help_text, callback, discover
                in sorted(self.app.get_system_commands(self.screen), key=lambda command: command.title)
                if discover or not discoverable_only]

    def _console_commands(self) -> list[PaletteCommand]:
        app = self.app
        commands = registry.palette(app, APP)  # the other screens (none in the fleet), keys and help
        if isinstance(self.screen, OffersCommands):
            commands += self.screen.palette_commands()
        if isinstance(app, HasContext) and app.context.read_only:
            return commands
        if isinstance(self.screen, OffersActions):
            commands += self.screen.palette_actions()
        info = app.context.session.state.info if isinstance(app, HasContext) else None
        community = info is None or info.community
        for name, question, example, build in PROMPTED:
            if not community and name in COMMUNITY_ONLY:
                continue  # the server would only refuse it (`?` says so)
            commands.append(PaletteCommand(name, partial(self._ask, question, example, build), f"asks: {example}"))
        return commands

    def _ask(self, question: str, example: str, build: Callable[[list[str]], Request]) -> None:
        ask_action(self.app.screen, question, example, build)

    async def discover(self) -> Hits:
        for command in self._console_commands() + self._system_commands(discoverable_only=True):
            yield DiscoveryHit(command.name, command.run, help=command.help)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for command in self._commands():
            score = matcher.match(command.name)
            if score > 0:
                yield Hit(score, matcher.highlight(command.name), command.run, help=command.help)


# The prompted actions the server refuses outside TimescaleDB Community: not listed there.
COMMUNITY_ONLY = frozenset({"Compress chunks…", "Decompress chunks…", "Refresh a continuous aggregate…",
                            "Set or remove a retention policy…", "Set or remove a compression policy…"})

# Every operator action without a row to stand on: palette name, question, example answer, answer -> request.
PROMPTED: tuple[tuple[str, str, str, Callable[[list[str]], Request]], ...] = (
    ("Compress chunks…", "Chunk to compress, or hypertable and age:", "llm_traces 7d",
     partial(prompts.compression, "compress")),
    ("Decompress chunks…", "Chunk to decompress, or hypertable and age:", "_hyper_1_2_chunk",
     partial(prompts.compression, "decompress")),
    ("Drop chunks…", "Hypertable and age (chunks entirely older are dropped):", "llm_logs 90d", prompts.drop),
    ("Refresh a continuous aggregate…", "View, then optionally from and to (ISO time or age):",
     "cost_analysis_hourly 3d 1h", prompts.refresh),
    ("Set or remove a retention policy…", "Hypertable or aggregate, then an age or 'remove':", "llm_logs 30d",
     partial(prompts.policy, "retention")),
    ("Set or remove a compression policy…", "Hypertable, then an age or 'remove':", "llm_logs 7d",
     partial(prompts.policy, "compression")),
    ("Cancel a backend's query…", "PID of the backend (its query is cancelled):", "12345",
     partial(prompts.signal, "cancel")),
    ("Terminate a backend…", "PID of the backend (its session ends):", "12345",
     partial(prompts.signal, "terminate")),
)


class ReplayCommands(ConsoleCommands):
    """The replay console's palette: its keys and help, then Textual's own commands (no screens, no actions)."""

    def _console_commands(self) -> list[PaletteCommand]:
        commands = registry.palette(self.app, REPLAY_APP)
        if isinstance(self.screen, OffersCommands):
            commands += self.screen.palette_commands()
        return commands
