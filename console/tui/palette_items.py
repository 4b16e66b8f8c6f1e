"""What a screen offers the command palette: entries (name, callable, help) of its own commands and of the
actions on its selected row; and what it withholds (for `?`). Screens import this, the palette provider and the
app read it (no cycle)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol, runtime_checkable


@dataclass(frozen=True)
class PaletteCommand:
    """One palette entry."""

    name: str
    run: Callable[[], object]
    help: str = ""


@runtime_checkable
class OffersCommands(Protocol):
    """A screen with commands of its own (refresh, pause, re-run verify, the dry-run plan...), read-only safe."""

    def palette_commands(self) -> list[PaletteCommand]: ...


@runtime_checkable
class OffersActions(Protocol):
    """A screen whose selected row has actions (e.g. the Jobs screen)."""

    def palette_actions(self) -> list[PaletteCommand]: ...


@runtime_checkable
class WithholdsActions(Protocol):
    """A screen that does not offer some of its actions on this server (the server could only refuse them): `?`
    lists them with the reason."""

    def withheld_actions(self) -> list[tuple[str, str, str]]: ...  # (keys, action, why not offered)
