"""The fleet: one row per database, worst first (reachable, role, versions, worst finding, jobs, compression,
retention, aggregates, chunks, cost). Refreshed off the UI thread by the fleet's monitor (its own event loop of
async connections); Enter opens the database's dashboard (Escape comes back), `/` filters by name or tag."""

from __future__ import annotations

from rich.text import Text
from textual import events, work
from textual.app import ComposeResult
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import DataTable, Input, Static

from console.fleet import view as fleet_view
from console.fleet.model import DatabaseStatus, FleetReport, Level
from console.fleet.probe import FleetMonitor
from console.fleet.targets import Target
from console.infra.fmt import printable
from console.tui import registry
from console.tui.context import HasContext
from console.tui.palette_items import PaletteCommand
from console.tui.screen_keys import FLEET
from console.tui.widgets.key_footer import KeyFooter
from console.tui.widgets.line_fit import Part, fit
from console.view import COLOURS

COLUMNS = tuple(column.name for column in fleet_view.COLUMNS)


class FleetScreen(Screen[None]):
    """The fleet's table; the monitor comes from the app's context."""

    BINDINGS = FLEET.bindings()

    AUTO_FOCUS = "#fleet-table"  # not the (hidden) filter box

    def __init__(self) -> None:
        super().__init__()
        self.report: FleetReport | None = None
        self.filter_text = ""
        self._timer: Timer | None = None
        self._shown: list[str] = []

    @property
    def monitor(self) -> FleetMonitor:
        assert isinstance(self.app, HasContext) and self.app.context.fleet is not None
        return self.app.context.fleet

    def compose(self) -> ComposeResult:
        yield Static("", id="fleet-header", classes="server-header", markup=False)
        yield Static("", id="fleet-problems", markup=False)
        keep, clear = (registry.first_key(self.app, FLEET[i]) for i in ("fleet.open", "fleet.clear"))
        yield Input(placeholder=f"filter by name or tag ({keep}: keep, {clear}: clear)", id="fleet-filter")
        table: DataTable[Text] = DataTable(id="fleet-table", cursor_type="row", zebra_stripes=True)
        table.add_columns(*COLUMNS)
        yield table
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one("#fleet-filter", Input).display = False
        problems = self.query_one("#fleet-problems", Static)
        problems.update("\n".join(printable(p) for p in self.monitor.problems))
        problems.display = bool(self.monitor.problems)
        self._draw_header()
        assert isinstance(self.app, HasContext)
        self._timer = self.set_interval(self.app.context.refresh_s, self.action_refresh_now)
        self.action_refresh_now()

    def on_screen_resume(self, _event: events.ScreenResume) -> None:
        if self._timer is not None:
            self._timer.resume()

    def on_screen_suspend(self, _event: events.ScreenSuspend) -> None:
        if self._timer is not None:
            self._timer.pause()

    def action_refresh_now(self) -> None:
        self._refresh()

    @work(thread=True, exclusive=True, group="fleet-refresh")
    def _refresh(self) -> None:
        report = self.monitor.refresh()
        self.app.call_from_thread(self._show, report)

    def _show(self, report: FleetReport) -> None:
        self.report = report
        self._draw_header()
        self._draw_rows()

    def _draw_header(self) -> None:
        """Fitted as the console's header is (console/tui/widgets/line_fit.py): nothing cut."""
        title = Part((" obsconsole · Fleet ", " Fleet "), "bold reverse", gives=(1,), sep="")
        report = self.report
        if report is None:
            counts = [Part((f"{len(self.monitor.targets)} databases",), sep=" "), Part(("refreshing…",))]
        else:
            down = sum(not d.reachable for d in report.databases)
            failing = sum(d.reachable and d.worst.level is Level.FAIL for d in report.databases)
            counts = [Part((f"{len(report.databases)} databases",), sep=" "),
                      Part((f"{down} down",), "bold red" if down else ""),
                      Part((f"{failing} failing",), "bold red" if failing else ""),
                      Part((f"{report.refreshed_at:%H:%M:%S} UTC in {report.elapsed_ms:,.0f} ms",))]
        if self.filter_text:
            counts.append(Part((f"filter: {printable(self.filter_text)}",), "bold"))
        header = self.query_one("#fleet-header", Static)
        width = header.size.width or self.app.size.width
        header.update(Text("\n").join(fit([title, *counts], [[title, *counts]], width)))

    def on_resize(self, _event: events.Resize) -> None:
        self._draw_header()

    def _draw_rows(self) -> None:
        table = self.query_one("#fleet-table", DataTable)
        report = self.report
        if report is None:
            return
        chosen = self.selected_name()
        shown = [d for d in report.databases if d.matches(self.filter_text)]
        table.clear()
        for database in shown:
            table.add_row(*row_cells(database), key=database.name)
        self._shown = [d.name for d in shown]
        if chosen in self._shown:
            table.move_cursor(row=self._shown.index(chosen), animate=False)

    def selected_name(self) -> str | None:
        table = self.query_one("#fleet-table", DataTable)
        if not self._shown or table.cursor_row < 0 or table.cursor_row >= len(self._shown):
            return None
        return self._shown[table.cursor_row]

    def action_open(self) -> None:
        if self.query_one("#fleet-filter", Input).has_focus:
            self._keep_filter()
            return
        name = self.selected_name()
        target = next((t for t in self.monitor.targets if t.name == name), None)
        if target is not None:
            self._open(target)

    @work(thread=True, exclusive=True, group="fleet-open")
    def _open(self, target: Target) -> None:
        self.monitor.hold(target.name)  # its one connection handed over (the tsl engine takes one client)
        self.app.call_from_thread(self.app.call_later, self.app.run_action, f"open_database({target.name!r})")

    def on_data_table_row_selected(self, _event: DataTable.RowSelected) -> None:
        self.action_open()  # a click on the selected row

    def action_filter(self) -> None:
        box = self.query_one("#fleet-filter", Input)
        box.display = True
        box.value = self.filter_text
        self.call_after_refresh(box.focus)  # once shown: a hidden widget takes no focus

    def on_input_changed(self, event: Input.Changed) -> None:
        self.filter_text = event.value
        self._draw_header()
        self._draw_rows()

    def _keep_filter(self) -> None:
        box = self.query_one("#fleet-filter", Input)
        box.display = bool(self.filter_text)
        self.query_one("#fleet-table", DataTable).focus()

    def action_clear_filter(self) -> None:
        box = self.query_one("#fleet-filter", Input)
        box.value = ""
        box.display = False
        self.query_one("#fleet-table", DataTable).focus()

    def palette_commands(self) -> list[PaletteCommand]:
        return registry.palette(self, FLEET)


def row_cells(d: DatabaseStatus) -> list[Text]:
    """One database as the table's cells (console/fleet/view.py, as the CLI prints them), its name bold."""
    cells = [Text(cell.text, style=COLOURS[cell.style]) for cell in fleet_view.row(d).cells]
    cells[0].stylize("bold")
    return cells
