"""A pane's presentation-neutral view model: what to show, not how to draw it. The CLI renders it with rich, the
TUI with Textual widgets; both get the same text, so they say the same thing.

Columns carry a priority (0: always shown; higher numbers give way first when the width runs out) and an
alignment; identifier columns are never cut. Cells are text (already printable: control characters escaped)
plus a semantic style. Charts are data series; each shell draws them its own way."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
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


class Align(StrEnum):
    LEFT = "left"
    RIGHT = "right"


@dataclass(frozen=True)
class Column:
    """A table column. `priority` 0 is always shown; higher numbers give way first. An `identifier` column
    (object names, models, job targets) is never cut: it takes the width of its longest value."""

    name: str
    priority: int = 0
    align: Align = Align.LEFT
    identifier: bool = False


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


@dataclass(frozen=True)
class LineChart:
    """Values over time, one series per name."""

    title: str
    series: dict[str, list[tuple[datetime, float]]]


@dataclass(frozen=True)
class BarChart:
    """One bar per label (horizontal)."""

    title: str
    labels: list[str]
    values: list[float]


@dataclass(frozen=True)
class StackedBarChart:
    """Stacked horizontal bars: per label, one segment per stack name."""

    title: str
    labels: list[str]
    stacks: dict[str, list[float]]


Chart = LineChart | BarChart | StackedBarChart


@dataclass(frozen=True)
class PaneView:
    """Everything a shell needs to show one pane.

    `status` is the pane's status value (ok / empty / unavailable / timeout); `message` says why there are no
    rows (for every status but ok); `summary` is the one-line status; `notes` are lines shown under the table
    (a job's latest error, a retention finding); `chart` is None where the pane has none."""

    pane: str
    title: str
    status: str
    columns: tuple[Column, ...] = ()
    rows: tuple[ViewRow, ...] = ()
    summary: str = ""
    message: Cell | None = None
    notes: tuple[Cell, ...] = ()
    chart: Chart | None = None
    elapsed_ms: float = 0.0


def fit_columns(columns: Sequence[Column], rows: Sequence[ViewRow], width: int, gap: int = 3) -> list[int]:
    """Indexes of the columns that fit in `width` characters (each column as wide as its widest value or
    header, `gap` between columns), dropping the highest priority numbers first (the rightmost first among
    equals). Priority-0 columns always stay, even when they alone overflow."""
    widths = [column_width(c, i, rows) for i, c in enumerate(columns)]
    shown = list(range(len(columns)))

    def total() -> int:
        return sum(widths[i] for i in shown) + gap * max(0, len(shown) - 1)

    droppable = sorted((i for i, c in enumerate(columns) if c.priority > 0),
                       key=lambda i: (columns[i].priority, i), reverse=True)
    for index in droppable:
        if total() <= width:
            break
        shown.remove(index)
    return shown


def column_width(column: Column, index: int, rows: Sequence[ViewRow]) -> int:
    """The width column `index` needs: its widest cell or its header."""
    return max([len(column.name), *(len(r.cells[index].text) for r in rows if index < len(r.cells))])
