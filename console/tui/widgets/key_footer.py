"""The footer, fitted to its one line: the keys in force in the order of their rank in the registry (quit and
help, the screens, the focused row's actions, the screen's main keys, the rest), each as the user's keymap has
it. When the full words do not fit, the short ones (e.g. "Migr"), then the palette's key without its word; when
even that does not fit, whole keys give way, the disabled ones (e.g. the screen shown) first, then the lowest
ranked; never a word cut in half. `?` lists them all."""

from __future__ import annotations

from rich.cells import cell_len
from textual import events
from textual.app import App, ComposeResult
from textual.binding import ActiveBinding, Binding
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

from console.tui.registry import MORE
from console.tui.screen_keys import by_id

_KEYS = by_id()
_PALETTE = 3  # the palette key's border and padding around its key and word


class KeyFooter(Footer):
    """Textual's Footer, its keys ranked and fitted (one line, whole words)."""

    def __init__(self) -> None:
        super().__init__()
        self._fitted_width = 0

    def compose(self) -> ComposeResult:
        if not self._bindings_ready:  # Footer's own flag: the screen's bindings are known
            return
        app = self.app
        active = self.screen.active_bindings
        first: dict[str, tuple[Binding, bool, str]] = {}
        for _node, binding, enabled, tooltip in active.values():
            if binding.show:
                first.setdefault(binding.action, (binding, enabled, tooltip))
        ranked = sorted(first.values(), key=lambda entry: _rank(entry[0]))
        shown = [(binding, enabled, tooltip, app.get_key_display(binding)) for binding, enabled, tooltip in ranked]
        palette = active.get(app.COMMAND_PALETTE_BINDING) if self.show_command_palette else None
        width = self._fitted_width = self.size.width or app.size.width
        palette_word = palette.binding.description if palette is not None else ""
        full = [binding.description for binding, _e, _t, _k in shown]
        short = [_short(binding) for binding, _e, _t, _k in shown]
        # The first that fits: the full words, the same closer together, the short words, the palette's key
        # alone; then fewer keys.
        compact, words, palette_word = next(
            ((tight, words, said) for tight, words, said in ((False, full, palette_word), (True, full, palette_word),
                                                             (True, short, palette_word), (True, short, ""))
             if _width(shown, words, tight) + _palette_width(app, palette, said) <= width), (True, short, ""))
        width -= _palette_width(app, palette, palette_word)
        while shown and _width(shown, words, compact) > width:
            drop = max(range(len(shown)), key=lambda i: (not shown[i][1], _rank(shown[i][0]), i))
            del shown[drop], words[drop]
        self.compact = compact
        for (binding, enabled, tooltip, key), word in zip(shown, words, strict=True):
            yield FooterKey(binding.key, key, word, binding.action, disabled=not enabled,
                            tooltip=tooltip or binding.description).data_bind(compact=Footer.compact)
        if palette is not None:
            yield FooterKey(palette.binding.key, app.get_key_display(palette.binding), palette_word,
                            palette.binding.action, classes="-command-palette", disabled=not palette.enabled,
                            tooltip=palette.binding.tooltip or palette.binding.description)

    def on_resize(self, event: events.Resize) -> None:
        if self._bindings_ready and event.size.width != self._fitted_width:
            self.call_after_refresh(self.recompose)


def _palette_width(app: App[object], palette: ActiveBinding | None, word: str) -> int:
    """Columns the palette's key takes at the right: its key, its word (if said), its border and padding."""
    if palette is None:
        return 0
    return cell_len(app.get_key_display(palette.binding)) + cell_len(word) + _PALETTE


def _width(shown: list[tuple[Binding, bool, str, str]], words: list[str], compact: bool) -> int:
    """Columns the keys take: key, space, word, and the padding or margin around them."""
    return sum(cell_len(key) + cell_len(word) + (2 if compact else 3)
               for (_b, _e, _t, key), word in zip(shown, words, strict=True))


def _rank(binding: Binding) -> int:
    key = _KEYS.get(binding.id or "")
    return key.rank if key is not None else MORE


def _short(binding: Binding) -> str:
    key = _KEYS.get(binding.id or "")
    return key.short or binding.description if key is not None else binding.description
