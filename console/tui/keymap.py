"""The user's own keys: $XDG_CONFIG_HOME/obsconsole/keymap.toml maps a binding id to the keys that replace its
default (Textual's keymap), e.g. `"dashboard.refresh" = "f5"` or `"app.quit" = "ctrl+q"`. Every key the footer,
`?`, the palette and the screens' hints show follows it. A key name Textual does not know is refused, as an
unknown id is. Confirmation dialogs keep y / n / Escape: a yes must never move."""

from __future__ import annotations

import unicodedata
from pathlib import Path

from textual.keys import KEY_NAME_REPLACEMENTS, Keys

from console.infra.errors import ConsoleError
from console.infra.fmt import has_control, printable
from console.infra.resources import config_dir
from console.infra.userfiles import load_toml
from console.tui.screen_keys import SCOPES

KEYMAP_FILE = "keymap.toml"
KEYMAP_BYTES = 64 << 10
MODIFIERS = frozenset({"ctrl", "shift", "alt", "meta", "super", "hyper"})
# The keys a terminal sends by name (f5, home, escape...), and the names Textual gives the printable ASCII
# characters that are not letters or digits (question_mark, plus, slash...).
NAMED_KEYS = frozenset(
    {key.value.rpartition("+")[2] for key in Keys if not key.value.startswith("<") and "-" not in key.value}
    | {KEY_NAME_REPLACEMENTS.get(name, name) for name in (
        unicodedata.name(chr(code)).lower().replace("-", "_").replace(" ", "_")
        for code in range(0x21, 0x7F) if not chr(code).isalnum())})
# Textual's own keys, in force on every screen before the console's.
RESERVED = {"ctrl+p": "the command palette", "ctrl+c": "Textual's quit hint"}


def default_path() -> Path:
    return config_dir() / KEYMAP_FILE


def binding_ids() -> dict[str, str]:
    """Every binding a keymap may change: id -> its default keys."""
    return {binding_id: keys for scope in _scopes() for binding_id, keys in scope.items()}


def _scopes() -> list[dict[str, str]]:
    """Per screen, the bindings in force together (the app's own and the screen's): id -> default keys."""
    return [{i: k for keys in scope for i, k in keys.defaults().items()} for scope in SCOPES]


def known_key(key: str) -> bool:
    """Whether Textual can receive `key` from a terminal: modifiers (each once) then one key name or printable
    character ("ctrl+r", "f5", "question_mark", "é"; not "ctrl+shift+banana")."""
    *modifiers, name = key.split("+")
    if not set(modifiers) <= MODIFIERS or len(set(modifiers)) != len(modifiers):
        return False
    return name in NAMED_KEYS or (len(name) == 1 and name.isprintable() and not name.isspace())


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
        keys = keys.replace(" ", "")
        unknown = next((key for key in keys.split(",") if not known_key(key)), None)
        if unknown is not None:
            raise ConsoleError(f"keymap {path}: {binding_id}: {printable(unknown)!r} is not a key name Textual knows "
                               "(e.g. \"f5\", \"ctrl+r\", \"question_mark\", \"x\")")
        reserved = next((key for key in keys.split(",") if key in RESERVED), None)
        if reserved is not None:
            raise ConsoleError(f"keymap {path}: {binding_id}: {reserved!r} is {RESERVED[reserved]} on every screen: "
                               "choose another key")
        keymap[binding_id] = keys
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
