"""The action registry: what one declaration of a screen's keys (console/tui/screen_keys.py) generates — the
screen's BINDINGS (each with the id a keymap names), the footer's order and short words when room is short, the
command palette's entries, the `?` screen's explanations and every on-screen hint. Each shows the keys in force:
the user's keymap applied (console/tui/keymap.py)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import partial
from typing import Protocol, runtime_checkable

from textual.actions import parse
from textual.app import App
from textual.binding import Binding, BindingType
from textual.dom import DOMNode

from console.tui.palette_items import PaletteCommand

# Footer ranks: when the footer is short of room, the lowest rank stays longest.
ALWAYS, SCREENS, ROW, MAIN, MORE = range(5)


@dataclass(frozen=True)
class Key:
    """One action a screen answers to: its binding id, default keys (Textual's names, comma-separated), Textual
    action, the word the footer and `?` show, and what it does (hints, `?`, the palette's help)."""

    id: str
    keys: str
    action: str
    label: str
    does: str = ""  # terse, lower case: "run now" (the hint reads "n: run now")
    short: str = ""  # the footer's word when the full labels do not fit ("" = label)
    palette: str = ""  # the palette entry's name ("" = none)
    palette_help: str = ""  # the palette entry's help after the key ("" = does)
    rank: int = MAIN
    show: bool = True  # in the footer (`?` lists every key)
    writes: bool = False  # changes the server: never bound in read-only mode
    key_display: str | None = None
    priority: bool = False

    def binding(self) -> Binding:
        return Binding(self.keys, self.action, self.label, show=self.show, key_display=self.key_display,
                       priority=self.priority, id=self.id)


@dataclass(frozen=True)
class ScreenKeys:
    """One screen's declaration: its keys, in the order the footer and `?` list them."""

    name: str
    keys: tuple[Key, ...]

    def bindings(self) -> list[BindingType]:
        return [key.binding() for key in self.keys]

    def __getitem__(self, binding_id: str) -> Key:
        return next(key for key in self.keys if key.id == binding_id)

    def by_action(self, action: str) -> Key | None:
        return next((key for key in self.keys if key.action == action), None)

    def defaults(self) -> dict[str, str]:
        """id -> default keys."""
        return {key.id: key.keys for key in self.keys}


@runtime_checkable
class Keymapped(Protocol):
    """An app that knows the user's keymap (binding id -> keys)."""

    user_keymap: Mapping[str, str]


def keys_in_force(app: App[None], key: Key) -> list[str]:
    """`key`'s keys as the footer shows them, the user's keymap applied (a remapped key loses its key_display, as
    Textual's keymap drops it)."""
    keymap = app.user_keymap if isinstance(app, Keymapped) else {}
    remapped = keymap.get(key.id)
    names = (remapped or key.keys).split(",")
    display = None if remapped else key.key_display
    return list(dict.fromkeys(app.get_key_display(Binding(name.strip(), "", key_display=display)) for name in names))


def first_key(app: App[None], key: Key) -> str:
    return keys_in_force(app, key)[0]


def offered(node: DOMNode, key: Key) -> bool:
    """Whether `node` (a screen; or the app for an `app.` action) offers `key` now (its check_action)."""
    target, name, parameters = parse(key.action)
    owner = node.app if target == "app" else node
    return owner.check_action(name, parameters) is not False


def hint(node: DOMNode, keys: ScreenKeys, *ids: str) -> str:
    """'n: run now, p: pause' for the keys `ids` of `keys` the screen offers now."""
    chosen = [keys[i] for i in ids]
    return ", ".join(f"{first_key(node.app, key)}: {key.does or key.label}" for key in chosen if offered(node, key))


def palette(node: DOMNode, keys: ScreenKeys, name: Callable[[Key], str] | None = None) -> list[PaletteCommand]:
    """The palette's entries of the keys of `keys` that have one and that `node` offers now, each run as its key
    would, its help naming the key in force. `name` may give an entry a name of the moment ("Resume refresh")."""
    app = node.app
    return [PaletteCommand((name or _palette_name)(key), partial(app.run_action, key.action, node),
                           f"{first_key(app, key)}: {key.palette_help or key.does or key.label}")
            for key in keys.keys if key.palette and offered(node, key)]


def _palette_name(key: Key) -> str:
    return key.palette
