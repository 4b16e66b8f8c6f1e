"""Verify: every check's status on the first screen (all 19 rows at 80x24, "19 of 19 checks" said), the cursor
on the worst; Enter opens the selected check in full (found, expected, remedy); re-run, export JSON. A Drift tab
(`f`) replays the applied migrations into a scratch engine and lists every difference, its details wrapped."""

from __future__ import annotations

import json
from pathlib import Path

from rich.cells import cell_len
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.widgets import DataTable, Static, TabbedContent, TabPane

from console.drift import view as drift_view
from console.drift.model import DriftReport
from console.drift.service import drift_on
from console.infra import clock, fmt, userfiles
from console.infra.errors import ConsoleError
from console.infra.fmt import printable
from console.infra.resources import state_dir
from console.tui.screen_keys import VERIFY
from console.tui.screens.base import ConsoleScreen
from console.tui.screens.check_detail import CheckDetailScreen
from console.tui.widgets.fitted_table import FittedTable
from console.verify import view
from console.verify.model import VerifyReport, as_dict
from console.verify.runner import verify_on
from console.view import fit_parts


class VerifyScreen(ConsoleScreen):
    SCREEN_TITLE = "Verify"
    KEYS = VERIFY
    BINDINGS = VERIFY.bindings()

    def __init__(self) -> None:
        super().__init__()
        self.report: VerifyReport | None = None
        self.ran: float | None = None  # clock.counter() when the report shown started
        self.exported: Path | None = None  # where `e` wrote the report shown: said under its summary
        self._said: tuple[str, str, tuple[str, ...]] = ("Running checks…", "", ())
        self.in_view = ("", "")  # "19 of 19 checks" and the columns hidden, as the table last said them
        self.said_error = False  # the summary holds a failed run's line

    def compose_body(self) -> ComposeResult:
        with TabbedContent(id="verify-tabs"):
            with TabPane("Checks", id="checks-tab"):
                yield Static("Running checks…", id="verify-summary", markup=False)
                # One line a check, so all of them show at once; a `found` too long for its row is in the detail.
                yield FittedTable(id="verify-table", max_lines=1)
            with TabPane("Drift", id="drift-tab"):
                yield Static(self.hint("verify.drift"), id="drift-summary", markup=False)
                yield FittedTable(id="drift-table")

    def on_mount(self) -> None:
        self.query_one("#verify-table", FittedTable).too_long = f"{self.key('verify.details')}: read it"
        self.action_rerun()

    def on_resize(self) -> None:
        if self.report is not None and not self.said_error:
            self._say(self.report)

    def on_fitted_table_laid_out(self, event: FittedTable.LaidOut) -> None:
        if event.table.id == "verify-table":
            self.in_view = (event.note("checks"), event.hidden_note())
            if self.report is not None and not self.said_error:
                self._say(self.report)

    def action_details(self) -> None:
        table = self.query_one("#verify-table", FittedTable)
        if table.row_count and self.report is not None:
            self._open(str(table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value))

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        if event.data_table.id == "verify-table":
            self._open(str(event.row_key.value))

    def _open(self, check_id: str) -> None:
        check = next((c for c in self.report.checks if c.id == check_id), None) if self.report else None
        if check is not None:
            self.app.push_screen(CheckDetailScreen(view.finding(check)))

    def on_screen_resume(self) -> None:
        """Re-entered: run again when the report shown is older than the refresh interval."""
        if self.report is not None and self.ran is not None and \
                clock.counter() - self.ran >= self.context.refresh_s:
            self.action_rerun()

    def action_rerun(self) -> None:
        self._run()

    @work(thread=True, exclusive=True, group="verify", exit_on_error=False)
    def _run(self) -> None:
        directory = self.context.migrations_dir
        started = clock.counter()
        try:
            report = self.session.call(lambda conn, _info: verify_on(conn, directory=directory))
        except ConsoleError as exc:
            self.app.call_from_thread(self._failed, f"cannot verify: {exc.message}")
            return
        self.app.call_from_thread(self._show, report, started)

    def show_error(self, group: str, message: str) -> None:
        if group == "drift":
            self.query_one("#drift-summary", Static).update(Text(message, style="bold red"))
        else:
            self._failed(message)

    def action_drift(self) -> None:
        self.query_one("#verify-tabs", TabbedContent).active = "drift-tab"
        self.query_one("#drift-summary", Static).update("replaying the migrations into a scratch engine…")
        self._drift()

    @work(thread=True, exclusive=True, group="drift", exit_on_error=False)
    def _drift(self) -> None:
        directory = self.context.migrations_dir
        try:
            report = self.session.call(lambda conn, _info: drift_on(conn, directory=directory))
        except ConsoleError as exc:
            self.app.call_from_thread(self.query_one("#drift-summary", Static).update,
                                      Text(printable(f"cannot check drift: {exc.message}"), style="bold red"))
            return
        self.app.call_from_thread(self._show_drift, report)

    def _show_drift(self, report: DriftReport) -> None:
        self.query_one("#drift-table", FittedTable).show(drift_view.COLUMNS, drift_view.difference_rows(report))
        verdict = f"DRIFT: {len(report.drift)} difference(s)" if report.drift else "no drift"
        self.query_one("#drift-summary", Static).update(Text(
            f"{verdict}, {len(report.differences) - len(report.drift)} unsettled; {len(report.replayed)} "
            f"migration(s) from the {report.source} replayed in {report.elapsed_ms / 1000:.0f} s; "
            f"{self.key('verify.drift')}: again",
            style="bold red" if report.drift else "bold green"))

    def _failed(self, message: str) -> None:
        """A run that failed: its one line stays in the summary (over the last report's) until the next run."""
        self.said_error = True
        self._summary(message, "bold red")

    def _summary(self, text: str, style: str = "", verdicts: tuple[str, ...] = ()) -> None:
        """The summary line; once exported, the file the report shown was written to, whole: after the first of
        `verdicts` that leaves it room on one line (so every check stays in view), else on a line of its own."""
        self._said = (text, style, verdicts)
        line = Text(printable(text), style=style)
        if self.exported is not None:
            where = printable(_from_home(self.exported))
            width = self._summary_width()
            fits = next(((verdict, said) for verdict in verdicts
                         for said in (f"exported to {where}", f"saved {where}")
                         if cell_len(f"{verdict} · {said}") <= width), None)
            if fits is not None:
                verdict, said = fits
                line = Text.assemble((printable(verdict), style), " · ", (said, "bold"))
            else:
                line.append(f"\nexported to {where}", style="bold")
        self.query_one("#verify-summary", Static).update(line)

    def _summary_width(self) -> int:
        return self.query_one("#verify-summary", Static).content_size.width or self.size.width - 2

    def _show(self, report: VerifyReport, started: float) -> None:
        self.report, self.ran, self.said_error, self.exported = report, started, False, None
        table = self.query_one("#verify-table", FittedTable)
        table.show(view.COLUMNS, view.check_rows(report))
        worst = report.findings[0].id if report.findings else None
        if worst is not None:  # the cursor on the worst check: Enter reads it
            table.move_cursor(row=table.get_row_index(worst), animate=False)
        self._say(report)

    def _say(self, report: VerifyReport) -> None:
        """The verdict and counts, the checks in view, when it ran (one line at 80 columns while all pass or
        warn); then how long it took, the keys and the columns hidden, where they fit."""
        verdict = "FAIL" if report.exit_code() else "PASS"
        ran = f"ran at {fmt.clock(report.ran_at)}" if report.ran_at else ""
        counted = f"{verdict}: {view.counts(report, nonzero=True)}"
        self._summary(fit_parts([counted, self.in_view[0], ran, f"took {report.elapsed_ms:.0f} ms",
                                 self.hint("verify.details", "verify.rerun", "verify.export"), self.in_view[1]],
                                self._summary_width(), keep=3),
                      "bold red" if verdict == "FAIL" else "bold green", (counted, verdict))

    def action_export(self) -> None:
        if self.report is None:
            self.notify("no report yet", severity="warning")
            return
        path = state_dir() / "exports" / f"verify-{clock.now():%Y%m%d-%H%M%S}Z.json"
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            self.notify(f"cannot export the verify report: cannot make {path.parent} ({exc.strerror or exc})",
                        severity="error", timeout=10)
            return
        try:
            userfiles.write_bytes(path, json.dumps(as_dict(self.report), indent=2).encode(), "the verify report")
        except ConsoleError as exc:
            self.notify(exc.message, severity="error", timeout=10)
            return
        self.exported = path
        self._summary(*self._said)
        self.notify(f"verify report written to {path}")


def _from_home(path: Path) -> str:
    """`path`, as `~/…` when it is under the home directory (shorter: it fits the summary line at 80 columns)."""
    try:
        return f"~/{path.relative_to(Path.home())}"
    except (ValueError, RuntimeError):  # not under it, or no home directory to be found
        return str(path)
