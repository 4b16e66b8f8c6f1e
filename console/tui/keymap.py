"""The user's own keys: $XDG_CONFIG_HOME/obsconsole/keymap.toml maps a binding id to the keys that replace its
default (Textual's keymap), e.g. `"dashboard.refresh" = "f5"` or `"app.quit" = "ctrl+q"`. Every key the footer,
`?` and the palette show follows it. Confirmation dialogs keep y / n / Escape: a yes must never move."""

from __future__ import annotations

from pathlib import Path

from textual.binding import Binding

from console.infra.errors import ConsoleError
from console.infra.fmt import has_control, printable
from console.infra.resources import config_dir
from console.infra.userfiles import load_toml
from console.tui.app import ObsConsoleApp
from console.tui.screens.dashboard import DashboardScreen
from console.tui.screens.fleet import FleetScreen
from console.tui.screens.jobs import JobDetailScreen, JobsScreen
from console.tui.screens.migrations import MigrationsScreen
from console.tui.screens.replay import ReplayScreen
from console.tui.screens.verify import VerifyScreen

KEYMAP_FILE = "keymap.toml"
KEYMAP_BYTES = 64 << 10
_OWNERS = (ObsConsoleApp, DashboardScreen, JobsScreen, JobDetailScreen, MigrationsScreen, VerifyScreen, FleetScreen,
           ReplayScreen)


def default_path() -> Path:
    return config_dir() / KEYMAP_FILE


def binding_ids() -> dict[str, str]:
    """Every binding a keymap may change: id -> its default keys."""
    return {binding_id: keys for scope in _scopes() for binding_id, keys in scope.items()}


def _scopes() -> list[dict[str, str]]:
    """Per screen, the bindings in force together (the app's own and the screen's): id -> default keys."""
    def own(owner: type) -> dict[str, str]:
        return {b.id: b.key for cls in owner.__mro__ for b in cls.__dict__.get("BINDINGS", [])
                if isinstance(b, Binding) and b.id}

    app = own(ObsConsoleApp)
    return [app | own(screen) for screen in _OWNERS[1:]]


def load_keymap(path: Path | None = None) -> dict[str, str]:
    """The keymap in `path` (default: the config file), {} when there is none. Ids may be quoted
    ("dashboard.refresh" = "f5") or bare (dashboard.refresh = "f5", which TOML reads as a table). ConsoleError
    (exit 2) with one line for a file that cannot be read, an unknown binding, or a key two bindings of one
    screen would share."""
    path = path or default_path()
    try:
        data = load_toml(path, "keymap", KEYMAP_BYTES, max_depth=2)  # "dashboard.refresh" or [dashboard] refresh
    except FileNotFoundError:
        return {}
    known = binding_ids()
    keymap: dict[str, str] = {}
    for binding_id, keys in _flat(data).items():
        if binding_id not in known:
            raise ConsoleError(f"keymap {path}: unknown binding {printable(binding_id)!r} (known: "
                               f"{', '.join(sorted(known))})")
        if (not isinstance(keys, str) or not keys.strip() or any(not k.strip() for k in keys.split(","))
                or has_control(keys)):
            raise ConsoleError(f"keymap {path}: {binding_id} takes keys as a string, e.g. \"f5\" or \"r,f5\"")
        keymap[binding_id] = keys.replace(" ", "")
    for scope in _scopes():
        taken: dict[str, str] = {}
        for binding_id, default in scope.items():
            for key in keymap.get(binding_id, default).split(","):
                if taken.setdefault(key, binding_id) != binding_id:
                    first, second = sorted((taken[key], binding_id))
                    raise ConsoleError(f"keymap {path}: {printable(key)!r} would be both {first} and {second}: "
                                       "give one of them another key")
    return keymap


def _flat(data: dict[str, object], prefix: str = "") -> dict[str, object]:
    """{"dashboard": {"refresh": "f5"}} -> {"dashboard.refresh": "f5"}."""
    flat: dict[str, object] = {}
    for name, value in data.items():
        if isinstance(value, dict):
            flat.update(_flat(value, f"{prefix}{name}."))
        else:
            flat[f"{prefix}{name}"] = value
    return flat
