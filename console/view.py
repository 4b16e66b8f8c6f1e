"""The view model vocabulary every feature builds and both shells draw: semantic styles (and the one Style ->
colour map), table columns with priorities, cells and rows, and fitting columns to a width. A feature builds rows
and lines with these; the CLI renders them with rich, the console with Textual, both through COLOURS.

Columns carry a priority (0: always shown; higher numbers give way first when the width runs out) and an
alignment; identifier columns are never cut, and wrapping columns (findings, configs, schedules) wrap their
words over lines where the console's tables are narrower than their text. Cells are text (already printable:
control characters escaped) plus a semantic style."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from console.infra.fmt import printable


class Style(StrEnum):
    """What a cell means, not its colour: each shell maps these to its own styles (none with NO_COLOR)."""

    PLAIN = "plain"
    OK = "ok"
    WARN = "warn"
    BAD = "bad"
    DIM = "dim"
    ACTIVE = "active"


# The one Style -> colour map both shells draw with (rich style strings: the CLI's rich and Textual both take
# them; plain text under NO_COLOR and when piped). Strings, not a renderer import.
COLOURS: dict[Style, str] = {Style.PLAIN: "", Style.OK: "green", Style.WARN: "bold yellow", Style.BAD: "bold red",
                             Style.DIM: "dim", Style.ACTIVE: "cyan"}


class Align(StrEnum):
    LEFT = "left"
    RIGHT = "right"


@dataclass(frozen=True)
class Column:
    """A table column. `priority` 0 is always shown; higher numbers give way first. An `identifier` column
    (object names, models, job targets) is never cut: it takes the width of its longest value. A `wrap` column's
    text may wrap at its spaces (a console table then gives it no less than WRAP_MIN or its longest word)."""

    name: str
    priority: int = 0
    align: Align = Align.LEFT
    identifier: bool = False
    wrap: bool = False


WRAP_MIN = 8  # the narrowest a wrapping column gets (unless its text is narrower, or a word of it wider)


@dataclass(frozen=True)
class Cell:
    text: str
    style: Style = Style.PLAIN

    @classmethod
    def of(cls, text: object, style: Style = Style.PLAIN) -> Cell:
        """A cell for any value, printable (control characters from data escaped); None is empty."""
        return cls(printable("" if text is None else str(text)), style)


@dataclass(frozen=True)
class ViewRow:
    """One table row: a stable key (so a refresh updates rows in place) and its cells, one per column."""

    key: str
    cells: tuple[Cell, ...]


def fit_columns(columns: Sequence[Column], rows: Sequence[ViewRow], width: int, gap: int = 3) -> list[int]:
    """Indexes of the columns that fit in `width` characters (each column as wide as its widest value or
    header, `gap` between columns), dropping the highest priority numbers first (the rightmost first among
    equals). Priority-0 columns always stay, even when they alone overflow."""
    return _fit(columns, [column_width(c, i, rows) for i, c in enumerate(columns)], width, gap)


def _fit(columns: Sequence[Column], widths: Sequence[int], width: int, gap: int) -> list[int]:
    """The indexes of `columns` that fit in `width` at `widths` (see fit_columns)."""
    shown = list(range(len(columns)))

    def total() -> int:
        return sum(widths[i] for i in shown) + gap * max(0, len(shown) - 1)

    droppable = sorted((i for i, c in enumerate(columns) if c.priority > 0),
                       key=lambda i: (columns[i].priority, i), reverse=True)
    dropped: list[int] = []
    for index in droppable:
        if total() <= width:
            break
        shown.remove(index)
        dropped.append(index)
    for index in reversed(dropped):  # a narrower column given way for a wide one may still fit: most important first
        shown.append(index)
        shown.sort()
        if total() > width:
            shown.remove(index)
    return shown


def column_width(column: Column, index: int, rows: Sequence[ViewRow]) -> int:
    """The width column `index` needs: its widest cell or its header."""
    return max([len(column.name), *(len(r.cells[index].text) for r in rows if index < len(r.cells))])


def least_width(column: Column, index: int, rows: Sequence[ViewRow]) -> int:
    """The narrowest column `index` may be: its natural width, or for a wrapping column its longest word (and its
    header), at least WRAP_MIN."""
    natural = column_width(column, index, rows)
    if not column.wrap:
        return natural
    words = [len(word) for r in rows if index < len(r.cells) for word in r.cells[index].text.split()]
    return min(natural, max([WRAP_MIN, len(column.name), *words]))


def fit_widths(columns: Sequence[Column], rows: Sequence[ViewRow], width: int, gap: int = 2) -> list[tuple[int, int]]:
    """(index, width) of the columns shown in `width` characters, `gap` between columns: as `fit_columns`, but
    counting each wrapping column at its least width (and, where not all fit whole, leaving out first a column
    of priority 1 and up with nothing in it). Then each wrapping column whose text wraps in more than one row, the
    most important first, is made whole (its natural width) from the width left over, or else by shown columns
    less important than it giving way whole where that is enough; what is still left widens the wrapping columns
    whose text wraps in the most rows first."""
    natural = [column_width(c, i, rows) for i, c in enumerate(columns)]
    least = [least_width(c, i, rows) for i, c in enumerate(columns)]
    kept = [i for i, c in enumerate(columns)
            if sum(natural) + gap * (len(columns) - 1) <= width or c.priority == 0
            or any(r.cells[i].text for r in rows if i < len(r.cells))]
    fitted = _fit([columns[i] for i in kept], [least[i] for i in kept], width, gap)
    widths = {kept[i]: least[kept[i]] for i in fitted}

    def spare() -> int:
        return width - sum(widths.values()) - gap * max(0, len(widths) - 1)

    def importance(index: int) -> tuple[int, int]:
        return columns[index].priority, index

    def wrapped(index: int) -> int:
        return sum(len(r.cells[index].text) > widths[index] for r in rows if index < len(r.cells))

    for index in sorted((i for i in widths if columns[i].wrap), key=importance):
        if index not in widths or wrapped(index) <= 1:
            continue
        need = natural[index] - widths[index]
        victims = sorted((i for i in widths if columns[i].priority > columns[index].priority), key=importance,
                         reverse=True)
        if need > spare() and need <= spare() + sum(widths[v] + gap for v in victims):
            for victim in victims:
                if need <= spare():
                    break
                del widths[victim]
        widths[index] += max(0, min(spare(), need))
    for index in sorted((i for i in widths if columns[i].wrap), key=lambda i: (-wrapped(i), importance(i))):
        widths[index] += max(0, min(spare(), natural[index] - widths[index]))
    return sorted(widths.items())


def fit_parts(parts: Sequence[str], width: int, *, keep: int = 1, sep: str = " · ") -> str:
    """`parts` joined by `sep`: the first `keep` always (a line may wrap), each other one where it still fits
    `width`, in order. Empty parts are left out."""
    line = sep.join(p for p in parts[:keep] if p)
    for part in parts[keep:]:
        if part and len(line) + len(sep) + len(part) <= width:
            line += sep + part
    return line
