"""What the console is opened with, gathered in one object read once at launch: the database (its DSN and where
the DSN came from), read-only mode (`--read-only` or OBSCONSOLE_READ_ONLY), the refresh interval and the user's
keymap (console/tui/keymap.py). The launchers build it (`ConsoleSettings.load`), the app keeps it in its
context; `+`/`-` change the interval of the session only."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from console.infra.dsn import ResolvedDsn
from console.infra.write_gate import read_only_mode
from console.tui.keymap import load_keymap

MIN_REFRESH_S = 1.0
MAX_REFRESH_S = 60.0


@dataclass(frozen=True)
class ConsoleSettings:
    """The console's settings; `target` None where there is no one database (the fleet: each has its own)."""

    target: ResolvedDsn | None = None
    read_only: bool = False
    refresh_s: float = 5.0
    keymap: Mapping[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        object.__setattr__(self, "refresh_s", min(max(self.refresh_s, MIN_REFRESH_S), MAX_REFRESH_S))

    @classmethod
    def load(cls, target: ResolvedDsn | None, *, refresh_s: float, read_only: bool = False) -> ConsoleSettings:
        """The settings of a console opened now: read-only when asked or when OBSCONSOLE_READ_ONLY says so, the
        keymap from its file. ConsoleError (exit 2, one line) for a bad keymap file, before any connection."""
        return cls(target, read_only or read_only_mode(), refresh_s, load_keymap())
