"""Updating a DataTable in place (update_cell / add_row / remove_row) so cursor and scroll survive a refresh."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.widgets import DataTable


def sync_rows(table: DataTable[Text], rows: Sequence[tuple[str, Sequence[Text]]]) -> None:
    """Make `table` show `rows` (key, cells) in order, touching only what changed. A change of order that
    appending cannot express rebuilds the table."""
    wanted = [key for key, _cells in rows]
    kept = [str(key.value) for key in table.rows if key.value in set(wanted)]
    if wanted[: len(kept)] != kept:
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
            table.add_row(*cells, key=key)
