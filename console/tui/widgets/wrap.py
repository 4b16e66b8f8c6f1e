"""A fitted table's cells as rich Text, each wrapped to its column's width: the lines a row takes, and (past a
limit of lines) a pointer in place of text too long for its row. The dashboard's panes and the screens' tables
share it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rich.console import Console
from rich.text import Text

from console.tui.widgets.styles import cell_text
from console.view import Align, Column, ViewRow


@dataclass(frozen=True)
class FittedRow:
    """One row as the table shows it: its key, one Text per shown column, and the lines it takes."""

    key: str
    cells: tuple[Text, ...]
    height: int


def fitted_rows(console: Console, columns: Sequence[Column], rows: Sequence[ViewRow],
                layout: Sequence[tuple[int, int]], *, max_lines: int | None = None,
                too_long: str = "") -> list[FittedRow]:
    """`rows` in the columns of `layout` ((index, width) pairs, console.view.fit_widths): a wrapping column's text
    wraps at its spaces; with `max_lines`, a cell that would take more lines shows `too_long` instead (dimmed)."""
    fitted = []
    for row in rows:
        cells, height = [], 1
        for index, width in layout:
            column = columns[index]
            text = cell_text(row.cells[index])
            text.justify = "right" if column.align is Align.RIGHT else "left"
            lines = len(text.wrap(console, width)) if column.wrap and text.cell_len > width else 1
            if max_lines is not None and lines > max_lines:
                text, lines = Text(too_long, style="dim"), 1
            cells.append(text)
            height = max(height, lines)
        fitted.append(FittedRow(row.key, tuple(cells), height))
    return fitted
