"""A screen's table fitted to its width: the columns that fit (lower-priority ones give way whole), a wrapping
column's words wrapped over the lines its row needs (or, past `max_lines`, a pointer to where the text is shown
whole), laid out again on every resize; updated in place, so the cursor stays on its row. After each layout it
posts LaidOut: how many rows are in view of how many, and which columns are hidden."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual import events
from textual.message import Message
from textual.widgets import DataTable

from console.tui.widgets.table_sync import rows_in_view, sync_rows
from console.tui.widgets.wrap import fitted_rows
from console.view import Column, ViewRow, fit_widths

CELL_GAP = 2  # DataTable pads each cell with one space on either side
SCROLLBAR = 2


class FittedTable(DataTable[Text]):
    """A DataTable drawing view rows (console.view) fitted to its width."""

    class LaidOut(Message):
        """The table was laid out: `in_view` of `rows` rows are in view, `hidden` names the columns left out."""

        def __init__(self, table: FittedTable, in_view: int, rows: int, hidden: tuple[str, ...]) -> None:
            super().__init__()
            self.table = table
            self.in_view = in_view
            self.rows = rows
            self.hidden = hidden

        @property
        def control(self) -> FittedTable:
            return self.table

        def note(self, noun: str = "rows") -> str:
            """'12 of 19 rows, scroll', or '19 of 19 rows' when all are in view."""
            return f"{self.in_view} of {self.rows} {noun}" + (", scroll" if self.in_view < self.rows else "")

        def hidden_note(self) -> str:
            """'2 columns hidden: kind, config', or '' when every column is shown."""
            count = len(self.hidden)
            return f"{count} column{'s' if count > 1 else ''} hidden: {', '.join(self.hidden)}" if count else ""

    def __init__(self, *, max_lines: int | None = None, too_long: str = "", id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=True)
        self.max_lines = max_lines
        self.too_long = too_long
        self.view_columns: tuple[Column, ...] = ()
        self.view_rows: tuple[ViewRow, ...] = ()
        self._layout: list[tuple[int, int]] | None = None
        self._said: tuple[int, int, tuple[str, ...]] | None = None

    def show(self, columns: Sequence[Column], rows: Sequence[ViewRow]) -> None:
        """Draw `rows` (one cell per column of `columns`), fitted to the table's width."""
        self.view_columns, self.view_rows = tuple(columns), tuple(rows)
        self.lay_out()

    def on_resize(self, _event: events.Resize) -> None:
        self.lay_out()

    def lay_out(self) -> None:
        """Fit the columns to the current width and (re)draw the rows, keeping the cursor on its row."""
        if not self.view_columns or self.size.width <= SCROLLBAR + CELL_GAP:
            return
        room = self.size.height - self.header_height
        for scrollbar in (0, SCROLLBAR):  # the width of a vertical scrollbar only where the rows need one
            layout = fit_widths(self.view_columns, self.view_rows, self.size.width - scrollbar - CELL_GAP, CELL_GAP)
            rows = fitted_rows(self.app.console, self.view_columns, self.view_rows, layout,
                               max_lines=self.max_lines, too_long=self.too_long)
            if sum(row.height for row in rows) <= room:
                break
        key = self._cursor_key()
        if layout != self._layout:
            self.clear(columns=True)
            for index, column_width in layout:
                column = self.view_columns[index]
                self.add_column(Text(column.name, justify="right" if column.align == "right" else "left"),
                                key=column.name, width=column_width)
            self._layout = layout
        sync_rows(self, [(row.key, row.cells) for row in rows], [row.height for row in rows])
        if key is not None and key in {row.key for row in rows} and self._cursor_key() != key:
            self.move_cursor(row=self.get_row_index(key), animate=False)
        self._say([row.height for row in rows], layout)

    def _cursor_key(self) -> str | None:
        if self.row_count == 0:
            return None
        return str(self.coordinate_to_cell_key(self.cursor_coordinate).row_key.value)

    def _say(self, heights: list[int], layout: list[tuple[int, int]]) -> None:
        """Post LaidOut when what it says changed: the rows wholly in view from the top, the hidden columns."""
        in_view = rows_in_view(heights, self.size.height - self.header_height)
        shown = {index for index, _width in layout}
        hidden = tuple(c.name for i, c in enumerate(self.view_columns) if i not in shown)
        said = (in_view, len(heights), hidden)
        if said != self._said:
            self._said = said
            self.post_message(self.LaidOut(self, *said))
