"""What the CLI needs from the console shell, as a protocol: the CLI never imports console.tui. The `obsconsole`
entry point (console/cli.py, above both shells) hands the Textual implementation (console/tui/entry.py) to the
typer app as its context object; commands that open or measure the console get it with `console_shell(ctx)`."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Protocol

import typer

from console.infra.errors import ConsoleError

if TYPE_CHECKING:
    from console.bench.scale import MemorySample
    from console.fleet.probe import FleetMonitor
    from console.infra.dsn import ResolvedDsn


class ConsoleShell(Protocol):
    """Open the console (on a database, a fleet, a recording), or run it headless for the benchmarks."""

    def check_settings(self) -> None:
        """ConsoleError (exit 2, one line) when the console's own settings (the keymap file) are bad."""

    def run_console(self, target: ResolvedDsn, *, refresh_s: float = 5.0, read_only: bool = False,
                    record: Path | None = None) -> None: ...

    def run_fleet(self, monitor: FleetMonitor, *, refresh_s: float, read_only: bool) -> None: ...

    def run_replay(self, path: Path) -> None: ...

    def first_paint_ms(self, target: ResolvedDsn) -> float: ...

    def memory_run(self, target: ResolvedDsn, minutes: float, refresh_s: float,
                   every_s: float) -> list[MemorySample]: ...


def console_shell(ctx: typer.Context) -> ConsoleShell:
    """The console shell the entry point gave the app (ConsoleError when run without one, e.g. embedded)."""
    shell = ctx.find_root().obj
    if shell is None:
        raise ConsoleError("this command opens the console: run it through `obsconsole`")
    return shell  # type: ignore[no-any-return]
