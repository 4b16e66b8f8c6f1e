"""A dashboard pane: draws one PaneView in a bordered box. Tables first: the table takes the width its columns
need (lower-priority columns give way first, identifiers and figures are never cut, a wrapping column's words
wrap over the lines its row needs), the chart only the width left over; both are laid out again on every
resize, from the last view (so a paused dashboard redraws too). Its subtitle is fitted to its border (shorter
wording first, never cut; "N of M rows" stays). The pane with the focus (the one row actions act on) says so in
its border and its title ("▶ "), colour or not. Choosing a row posts `PaneBox.RowChosen` for the screen to act
on."""

from __future__ import annotations

import re

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import DataTable, Static

from console.panes.view import PaneView
from console.tui.widgets import charts
from console.tui.widgets.line_fit import Part, fitted
from console.tui.widgets.pane_table import PaneTable
from console.tui.widgets.styles import cell_text
from console.tui.widgets.table_sync import rows_in_view, sync_rows
from console.tui.widgets.wrap import fitted_rows
from console.view import Column, column_width, fit_widths

CELL_GAP = 2  # DataTable pads each cell with one space on either side
SCROLLBAR = 2
MIN_CHART_WIDTH = 36
MIN_CHART_HEIGHT = 8
NOTES_SHOWN = 2
LABEL_MARGIN = 6  # the border's corners, the dash after each, the space either side of its subtitle
FOCUSED = "▶ "
_ASIDE = re.compile(r" \([^()]*\)")  # "(24 buckets)": the detail a summary gives up first
_NOTHING = re.compile(r"\D*\b0\b\D*")  # "0 failing", "backlog 0": a count of nothing, the first part to go


class PaneBox(Vertical):
    """One pane of the dashboard; keeps the last data (dimmed) when a refresh fails."""

    class RowChosen(Message):
        """Enter on a row: which pane, which row key."""

        def __init__(self, pane: str, key: str) -> None:
            super().__init__()
            self.pane = pane
            self.key = key

    def __init__(self, pane: str, title: str, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.pane = pane
        self.title = title
        self.view: PaneView | None = None
        self.charts_on = True
        self._layout: list[tuple[int, int]] | None = None  # (column index, width) as the table has them
        self.stale_note = ""  # while set, the subtitle says it (over every redraw) until fresh data arrives
        self._stale_short = ""

    def compose(self) -> ComposeResult:
        with Horizontal(classes="pane-body"):
            yield PaneTable(cursor_type="row", zebra_stripes=True, classes="pane-table")
            yield Static("", classes="chart")
        yield Static("", classes="pane-message")

    def on_mount(self) -> None:
        self._show_title()
        self.border_subtitle = "waiting for the first refresh…"
        self.query_one(".chart", Static).display = False

    @property
    def table(self) -> PaneTable:
        return self.query_one(PaneTable)

    def show(self, view: PaneView) -> None:
        """Draw a fresh view."""
        self.view = view
        self.stale_note = ""
        self.set_class(False, "-stale")
        self.set_class(view.status == "unavailable", "-unavailable")
        self.title = view.title
        self._show_title()
        self.lay_out()

    def _show_title(self) -> None:
        self.border_title = f"{FOCUSED}{self.title}" if self.has_focus_within else self.title

    def on_descendant_focus(self, _event: events.DescendantFocus) -> None:
        self._show_title()

    def on_descendant_blur(self, _event: events.DescendantBlur) -> None:
        self.call_after_refresh(self._show_title)  # the focus has left once the blur is handled

    def mark_stale(self, note: str, short: str = "") -> None:
        """Keep the last data, dimmed, with a note: `short` (whole words) where the border has no room for it."""
        self.stale_note, self._stale_short = note, short
        self.set_class(True, "-stale")
        self.border_subtitle = self._stale_subtitle()

    def _stale_subtitle(self) -> str:
        forms = (self.stale_note, self._stale_short) if self._stale_short else (self.stale_note,)
        return fitted([Part(forms, gives=(0,) * (len(forms) - 1))], self.outer_size.width - LABEL_MARGIN)

    def set_charts(self, on: bool) -> None:
        self.charts_on = on
        self.lay_out()

    def on_resize(self, _event: events.Resize) -> None:
        self.lay_out()

    def lay_out(self) -> None:
        """Fit columns and chart to the current size, from the last view."""
        view = self.view
        if view is None or not self.is_mounted:
            return
        width = max(self.content_size.width, 10)
        natural = _table_width(view.columns, range(len(view.columns)), view)
        chart = self.query_one(".chart", Static)
        spare = width - natural - SCROLLBAR - 1
        chart_on = (self.charts_on and view.chart is not None and view.status == "ok" and spare >= MIN_CHART_WIDTH
                    and self.content_size.height >= MIN_CHART_HEIGHT)
        chart.display = chart_on
        table_room = width - (spare if chart_on else 0) - SCROLLBAR
        layout = fit_widths(view.columns, view.rows, table_room - CELL_GAP, CELL_GAP)
        self._fill(view, layout)
        shown = [index for index, _width in layout]
        if chart_on and view.chart is not None:
            chart.styles.width = spare
            chart.update(charts.draw(view.chart, spare, max(self.content_size.height - 1, MIN_CHART_HEIGHT)))
        message = self.query_one(".pane-message", Static)
        lines = ([cell_text(view.message)] if view.message is not None else []) + \
            [cell_text(note) for note in view.notes[:NOTES_SHOWN]]
        if len(view.notes) > NOTES_SHOWN:
            lines.append(Text(f"+{len(view.notes) - NOTES_SHOWN} more (obsconsole snapshot shows them all)",
                              style="dim"))
        message.update(Text("\n").join(lines))
        message.display = bool(lines)
        self.table.display = view.status != "unavailable"
        self._show_subtitle(view, shown)
        self.call_after_refresh(self._show_subtitle, view, shown)  # the rows shown, once the table has its height

    def _show_subtitle(self, view: PaneView, shown: list[int]) -> None:
        if view is self.view:
            self.border_subtitle = self._subtitle(view, shown)

    def _fill(self, view: PaneView, layout: list[tuple[int, int]]) -> None:
        """The shown columns at their fitted widths, set up front: Textual's DataTable keeps a cell drawn before
        it re-measured an auto-width column at the old width (after a resize: "llm_metric"). Each row as many
        lines high as its wrapped cells need."""
        table = self.table
        if layout != self._layout:
            table.clear(columns=True)
            for index, width in layout:
                column = view.columns[index]
                table.add_column(Text(column.name, justify="right" if column.align == "right" else "left"),
                                 key=column.name, width=width)
            self._layout = layout
        rows = fitted_rows(self.app.console, view.columns, view.rows, layout)
        sync_rows(table, [(row.key, row.cells) for row in rows], [row.height for row in rows])

    def _subtitle(self, view: PaneView, shown: list[int]) -> str:
        """The summary, rows shown of how many, columns hidden, time taken: the detail gives way first."""
        if self.stale_note:
            return self._stale_subtitle()
        summary = (view.summary or view.status).split(" · ")
        # Gives way first: the time taken, "scroll", the hidden columns, counts of nothing (the last first), the
        # other parts, each without its aside then whole (the last first), the first part's asides.
        parts = [_summary_part(summary[0], 20, kept=True)]
        for index, text in enumerate(summary[1:], start=1):
            last_first = (len(summary) - index) / 100
            parts.append(_summary_part(text, (4 if _NOTHING.fullmatch(_ASIDE.sub("", text)) else 10) + last_first))
        # Rows, not lines: a wrapped row takes several.
        visible = rows_in_view([row.height for row in self.table.ordered_rows],
                               self.table.size.height - self.table.header_height)
        if self.table.display and self.table.size.height and visible < len(view.rows):
            parts += [Part((f"{visible} of {len(view.rows)} rows",)), Part((", scroll", ""), gives=(1,), sep="")]
        hidden = len(view.columns) - len(shown)
        if hidden:
            parts.append(Part((f"{hidden} columns hidden", f"{hidden} cols hidden", ""), gives=(2, 3)))
        parts.append(Part((f"{view.elapsed_ms:.0f} ms", ""), gives=(0,)))
        return fitted(parts, self.outer_size.width - LABEL_MARGIN)

    def on_pane_table_resized(self, event: PaneTable.Resized) -> None:
        """The table's height changed on its own: count the rows in view again."""
        event.stop()
        if self.view is not None and self._layout is not None:
            self._show_subtitle(self.view, [index for index, _width in self._layout])

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.post_message(self.RowChosen(self.pane, str(event.row_key.value)))


def _summary_part(text: str, gives: float, *, kept: bool = False) -> Part:
    """A part of a pane's summary: at `gives`, without its aside (if it has one), then (unless kept) left out."""
    bare = _ASIDE.sub("", text)
    forms = [text, *([bare] if bare != text else []), *([] if kept else [""])]
    return Part(tuple(forms), gives=(gives,) * (len(forms) - 1))


def _table_width(columns: tuple[Column, ...], indexes: range | list[int], view: PaneView) -> int:
    return sum(column_width(columns[i], i, view.rows) + CELL_GAP for i in indexes)
