"""Updating a DataTable in place (update_cell / add_row / remove_row) so cursor and scroll survive a refresh, and
counting the rows (each as many lines high as it wraps to) wholly in view."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.widgets import DataTable
from textual.widgets.data_table import RowKey


def sync_rows(table: DataTable[Text], rows: Sequence[tuple[str, Sequence[Text]]],
              heights: Sequence[int] | None = None) -> None:
    """Make `table` show `rows` (key, cells) in order, each as many lines high as `heights` says (1 without),
    touching only what changed. A change of order that appending cannot express, or of a kept row's height,
    rebuilds the table."""
    tall = dict(zip((key for key, _cells in rows), heights or [1] * len(rows), strict=True))
    wanted = [key for key, _cells in rows]
    kept = [str(key.value) for key in table.rows if key.value in set(wanted)]
    if wanted[: len(kept)] != kept or any(table.rows[RowKey(key)].height != tall[key] for key in kept):
        table.clear()
        kept = []
    for key in [str(k.value) for k in table.rows if k.value not in set(wanted)]:
        table.remove_row(key)
    columns = list(table.columns)
    for key, cells in rows:
        if key in kept:
            for column, cell in zip(columns, cells, strict=False):
                if table.get_cell(key, column) != cell:
                    table.update_cell(key, column, cell)
        else:
            table.add_row(*cells, key=key, height=tall[key])


def rows_in_view(heights: Sequence[int], room: int) -> int:
    """How many rows, from the top, are wholly in `room` lines (a wrapped row takes several)."""
    shown = 0
    for height in heights:
        room -= height
        if room < 0:
            break
        shown += 1
    return shown
