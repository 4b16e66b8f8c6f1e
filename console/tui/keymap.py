"""The user's own keys: $XDG_CONFIG_HOME/obsconsole/keymap.toml maps a binding id to the keys that replace its
default (Textual's keymap), e.g. `"dashboard.refresh" = "f5"` or `"app.quit" = "ctrl+q"`. Every key the footer,
`?` and the palette show follows it. Confirmation dialogs keep y / n / Escape: a yes must never move."""

from __future__ import annotations

import tomllib
from pathlib import Path

from textual.binding import Binding

from console.infra.errors import ConsoleError
from console.infra.fmt import printable
from console.infra.resources import config_dir
from console.tui.app import ObsConsoleApp
from console.tui.screens.dashboard import DashboardScreen
from console.tui.screens.jobs import JobDetailScreen, JobsScreen
from console.tui.screens.migrations import MigrationsScreen
from console.tui.screens.verify import VerifyScreen

KEYMAP_FILE = "keymap.toml"
_OWNERS = (ObsConsoleApp, DashboardScreen, JobsScreen, JobDetailScreen, MigrationsScreen, VerifyScreen)


def default_path() -> Path:
    return config_dir() / KEYMAP_FILE


def binding_ids() -> dict[str, str]:
    """Every binding a keymap may change: id -> its default keys."""
    found: dict[str, str] = {}
    for owner in _OWNERS:
        for cls in owner.__mro__:
            for binding in cls.__dict__.get("BINDINGS", []):
                if isinstance(binding, Binding) and binding.id:
                    found[binding.id] = binding.key
    return found


def load_keymap(path: Path | None = None) -> dict[str, str]:
    """The keymap in `path` (default: the config file), {} when there is none. ConsoleError (exit 2) with one
    line for a file that cannot be read or names an unknown binding."""
    path = path or default_path()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConsoleError(f"keymap {path}: {printable(str(exc).splitlines()[0])}") from None
    known = binding_ids()
    keymap: dict[str, str] = {}
    for binding_id, keys in data.items():
        if binding_id not in known:
            raise ConsoleError(f"keymap {path}: unknown binding {printable(binding_id)!r} (known: "
                               f"{', '.join(sorted(known))})")
        if not isinstance(keys, str) or not keys.strip() or any(not k.strip() for k in keys.split(",")):
            raise ConsoleError(f"keymap {path}: {binding_id} takes keys as a string, e.g. \"f5\" or \"r,f5\"")
        keymap[binding_id] = keys.replace(" ", "")
    return keymap
