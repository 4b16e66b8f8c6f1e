"""Printing a pane's view model with rich, readable at any width, with or without a terminal: identifiers and
figures are never cut, lower-priority columns give way first and the output says which ones and how to see them
(`--wide`); where the columns that stay are still too wide, the widest cells of words (a finding) wrap between
words, and only what no wrapping can fit (a word wider than the rest of the line) lets the line grow past the
width. Piped output is plain text."""

from __future__ import annotations

from collections.abc import Sequence

from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from console.panes.common import STATUS_STYLE, PaneStatus
from console.panes.view import PaneView
from console.view import COLOURS, Align, Cell, Column, ViewRow, column_width, fit_columns

GAP = 3  # what rich's SIMPLE_HEAD box puts between two columns (padding and the divider)
INDENT = "  "


def text(cell: Cell) -> Text:
    return Text(cell.text, style=COLOURS[cell.style])


def print_table(out: Console, columns: Sequence[Column], rows: Sequence[ViewRow], *, wide: bool = False) -> None:
    """A table of the columns that fit the console's width (all with `wide`), then a line naming those left out."""
    shown = list(range(len(columns))) if wide else fit_columns(columns, rows, out.width - 2 * len(INDENT), GAP)
    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, header_style="bold")
    widths = {i: column_width(columns[i], i, rows) for i in shown}
    if not wide:  # --wide: every column whole, the line as long as it takes
        widths = _wrapped(widths, columns, rows, out.width)
    for index in shown:
        column, width = columns[index], widths[index]
        table.add_column(column.name, justify="right" if column.align is Align.RIGHT else "left",
                         no_wrap=width == column_width(column, index, rows), min_width=width, max_width=width)
    for row in rows:
        table.add_row(*(text(row.cells[i]) for i in shown))
    needed = sum(widths.values()) + GAP * max(0, len(shown) - 1)
    # Never cut: where the columns that must stay are wider than the console, let the line run on.
    printer = out if needed <= out.width else Console(width=needed + 2, file=out.file, no_color=out.no_color,
                                                      force_terminal=out.is_terminal, highlight=False)
    printer.print(table)
    left_out = [columns[i].name for i in range(len(columns)) if i not in shown]
    if left_out:
        out.print(Text(f"{INDENT}{len(left_out)} column(s) left out at {out.width} columns: {', '.join(left_out)}"
                       " (--wide shows them)", style="dim"))


def _wrapped(widths: dict[int, int], columns: Sequence[Column], rows: Sequence[ViewRow], room: int) -> dict[int, int]:
    """The shown columns' widths after the widest give up what the line lacks, each down to its longest word (so
    its cells wrap between words, never inside one)."""
    excess = sum(widths.values()) + GAP * max(0, len(widths) - 1) - room
    narrowed = dict(widths)
    for index in sorted(widths, key=lambda i: widths[i], reverse=True):
        if excess <= 0:
            break
        words = [columns[index].name, *(r.cells[index].text for r in rows if index < len(r.cells))]
        floor = max(len(word) for value in words for word in value.split() or [""])
        give = min(excess, widths[index] - floor)
        if give > 0:
            narrowed[index] -= give
            excess -= give
    return narrowed


def print_view(view: PaneView, out: Console, *, wide: bool = False) -> None:
    """A pane: its title, status and time, the table (or the reason there is none), the summary and notes."""
    status_style = COLOURS[STATUS_STYLE[PaneStatus(view.status)]]
    out.print(Text.assemble((view.title, "bold"), " ", (view.status, status_style),
                            (f" ({view.elapsed_ms:.0f} ms)", "dim")))
    if view.message is not None:
        out.print(Text(INDENT) + text(view.message))
    if view.rows:
        print_table(out, view.columns, view.rows, wide=wide)
    if view.status in ("ok", "empty") and view.summary:
        out.print(Text(INDENT + view.summary))
    for note in view.notes:
        out.print(Text(INDENT) + text(note))
