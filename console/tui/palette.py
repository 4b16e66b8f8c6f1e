"""The command palette (Ctrl+P): the console's screens, help, the actions the current screen offers on its
selected row, and every operator action behind a one-line prompt (no action in read-only mode)."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider

from console.actions.backends import BackendSignal
from console.actions.caggs import CaggRefresh
from console.actions.chunks import ChunkCompression, ChunkDrop
from console.actions.plan import Request
from console.actions.policies import PolicyChange
from console.infra.durations import parse_interval, parse_moment
from console.infra.errors import ConsoleError
from console.tui.context import HasContext
from console.tui.palette_items import OffersActions, OffersCommands, PaletteCommand
from console.tui.screens.action_confirm import AskScreen, start_action


class ConsoleCommands(Provider):
    """Lists the console's commands; fuzzy-matched by Textual's matcher."""

    def _commands(self) -> list[PaletteCommand]:
        app = self.app
        commands = [PaletteCommand(f"Go to {title}", partial(app.switch_mode, mode), f"switch to the {title} screen")
                    for mode, title in (("dashboard", "Dashboard"), ("migrations", "Migrations"),
                                        ("verify", "Verify"), ("jobs", "Jobs"))]
        commands.append(PaletteCommand("Keys and help", partial(app.run_action, "help"), "the keys of this screen"))
        if isinstance(self.screen, OffersCommands):
            commands += self.screen.palette_commands()
        if isinstance(app, HasContext) and app.context.read_only:
            return commands
        if isinstance(self.screen, OffersActions):
            commands += self.screen.palette_actions()
        for name, question, example, build in PROMPTED:
            commands.append(PaletteCommand(name, partial(self._ask, question, example, build), f"asks: {example}"))
        return commands

    def _ask(self, question: str, example: str, build: Callable[[list[str]], Request]) -> None:
        app = self.app

        def answered(text: str | None) -> None:
            if not text:
                return
            try:
                request = build(text.split())
            except ConsoleError as exc:
                app.notify(exc.message, severity="error")
                return
            start_action(app.screen, request)

        app.push_screen(AskScreen(question, example), answered)

    async def discover(self) -> Hits:
        for command in self._commands():
            yield DiscoveryHit(command.name, command.run, help=command.help)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for command in self._commands():
            score = matcher.match(command.name)
            if score > 0:
                yield Hit(score, matcher.highlight(command.name), command.run, help=command.help)


def _words(words: list[str], low: int, high: int, usage: str) -> list[str]:
    if not low <= len(words) <= high:
        raise ConsoleError(f"expected {usage}")
    return words + [""] * (high - len(words))


def _pid(words: list[str]) -> int:
    (pid,) = _words(words, 1, 1, "a pid")
    if not pid.isdigit():
        raise ConsoleError(f"{pid!r} is not a pid")
    return int(pid)


def _compression(verb: str, words: list[str]) -> Request:
    first, age = _words(words, 1, 2, "a chunk name, or a hypertable and an age")
    if not age:
        return ChunkCompression(verb, name=first)
    return ChunkCompression(verb, table=first, older_than=parse_interval(age, "age"))


def _refresh(words: list[str]) -> Request:
    view, start, end = _words(words, 1, 3, "a view, then optionally from and to")
    return CaggRefresh(view, parse_moment(start or None, "from"), parse_moment(end or None, "to"))


def _drop(words: list[str]) -> Request:
    table, age = _words(words, 2, 2, "a hypertable and an age")
    return ChunkDrop(table, parse_interval(age, "age"))


def _policy(kind: str, words: list[str]) -> Request:
    relation, after = _words(words, 2, 2, "a hypertable and an age, or 'remove'")
    if after == "remove":
        return PolicyChange(kind, relation, remove=True)
    return PolicyChange(kind, relation, parse_interval(after, "age"))


# Every operator action without a row to stand on: palette name, question, example answer, answer -> request.
PROMPTED: tuple[tuple[str, str, str, Callable[[list[str]], Request]], ...] = (
    ("Compress chunks…", "Chunk to compress, or hypertable and age:", "llm_traces 7d",
     partial(_compression, "compress")),
    ("Decompress chunks…", "Chunk to decompress, or hypertable and age:", "_hyper_1_2_chunk",
     partial(_compression, "decompress")),
    ("Drop chunks…", "Hypertable and age (chunks entirely older are dropped):", "llm_logs 90d", _drop),
    ("Refresh a continuous aggregate…", "View, then optionally from and to (ISO time or age):",
     "cost_analysis_hourly 3d 1h", _refresh),
    ("Set or remove a retention policy…", "Hypertable or aggregate, then an age or 'remove':", "llm_logs 30d",
     partial(_policy, "retention")),
    ("Set or remove a compression policy…", "Hypertable, then an age or 'remove':", "llm_logs 7d",
     partial(_policy, "compression")),
    ("Cancel a backend's query…", "PID of the backend (its query is cancelled):", "12345",
     lambda words: BackendSignal("cancel", _pid(words))),
    ("Terminate a backend…", "PID of the backend (its session ends):", "12345",
     lambda words: BackendSignal("terminate", _pid(words))),
)
