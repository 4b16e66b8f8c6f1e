"""The console shell as the CLI sees it (console.commands.launch.ConsoleShell): each method imports the Textual
app only when called, so that `obsconsole --help` and the other commands never load it."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from console.bench.scale import MemorySample
    from console.fleet.probe import FleetMonitor
    from console.infra.dsn import ResolvedDsn


class TextualConsole:
    """console.tui's runners behind the CLI's ConsoleShell protocol."""

    def check_settings(self) -> None:
        from console.tui.keymap import load_keymap

        load_keymap()

    def run_console(self, target: ResolvedDsn, *, refresh_s: float = 5.0, read_only: bool = False,
                    record: Path | None = None) -> None:
        from console.tui.run import run_console
        from console.tui.settings import ConsoleSettings

        run_console(ConsoleSettings.load(target, refresh_s=refresh_s, read_only=read_only), record=record)

    def run_fleet(self, monitor: FleetMonitor, *, refresh_s: float, read_only: bool) -> None:
        from console.tui.run import run_fleet
        from console.tui.settings import ConsoleSettings

        run_fleet(monitor, ConsoleSettings.load(None, refresh_s=refresh_s, read_only=read_only))

    def run_replay(self, path: Path) -> None:
        from console.tui.replay import run_replay

        run_replay(path)

    def first_paint_ms(self, target: ResolvedDsn) -> float:
        from console.tui.run import first_paint_ms

        return first_paint_ms(target)

    def memory_run(self, target: ResolvedDsn, minutes: float, refresh_s: float,
                   every_s: float) -> list[MemorySample]:
        from console.tui.soak import memory_run

        return memory_run(target, minutes, refresh_s, every_s)
