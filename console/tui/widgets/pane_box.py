"""A dashboard pane: a bordered box with its title, a status line (border subtitle), a table and a chart."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import DataTable, Static

from console.panes import PaneResult, PaneStatus
from console.tui.widgets.table_sync import sync_rows

Row = tuple[str, Sequence[Text]]


class PaneBox(Vertical):
    """Shows one PaneResult; keeps the last data (dimmed) when a refresh fails."""

    TITLE = ""
    COLUMNS: tuple[str, ...] = ()
    HAS_CHART = True

    def compose(self) -> ComposeResult:
        with Horizontal(classes="pane-body"):
            table: DataTable[Text] = DataTable(cursor_type="row", zebra_stripes=True, classes="pane-table")
            table.add_columns(*self.COLUMNS)
            yield table
            if self.HAS_CHART:
                yield Static("", classes="chart")
        yield Static("", classes="pane-message")

    def on_mount(self) -> None:
        self.border_title = self.TITLE
        self.border_subtitle = "waiting for the first refresh…"

    @property
    def table(self) -> DataTable[Text]:
        return self.query_one(DataTable)

    def show(self, result: PaneResult[object, object]) -> None:
        """Draw a fresh result: rows and chart when ok, the reason otherwise."""
        self.set_class(False, "-stale")
        message = self.query_one(".pane-message", Static)
        if result.status in (PaneStatus.OK, PaneStatus.EMPTY):
            sync_rows(self.table, self.rows(result))
            self.border_subtitle = self.status_line(result)
            message.update(Text(result.reason or "", style="dim"))
            message.display = result.status is PaneStatus.EMPTY
        else:
            sync_rows(self.table, [])
            self.border_subtitle = result.status.value
            style = "yellow" if result.status is PaneStatus.UNAVAILABLE else "bold red"
            message.update(Text(result.reason or result.status.value, style=style))
            message.display = True
        self.set_class(result.status is PaneStatus.UNAVAILABLE, "-unavailable")
        self.table.display = result.status is not PaneStatus.UNAVAILABLE
        if self.HAS_CHART:
            chart = self.query_one(".chart", Static)
            chart.display = result.status is PaneStatus.OK and not self.screen.has_class("-compact")
            if chart.display:
                width = max(chart.size.width, 30)
                height = max(chart.size.height, 8)
                chart.update(self.chart(result, width, height))

    def mark_stale(self, note: str) -> None:
        """Keep the last data, dimmed, with a note."""
        self.set_class(True, "-stale")
        self.border_subtitle = note

    def rows(self, result: PaneResult[object, object]) -> list[Row]:
        raise NotImplementedError

    def status_line(self, result: PaneResult[object, object]) -> str:
        return f"{len(result.rows)} rows · {result.elapsed_ms:.0f} ms"

    def chart(self, result: PaneResult[object, object], width: int, height: int) -> Text:
        return Text("")
