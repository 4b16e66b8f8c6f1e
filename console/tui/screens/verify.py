"""Verify: the checks table (PASS/WARN/FAIL/SKIP, expected, found, remedy), re-run, export JSON; a Drift tab
(`f`) replays the applied migrations into a scratch engine and lists every difference."""

from __future__ import annotations

import json
from pathlib import Path

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.containers import VerticalScroll
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
from console.tui.widgets.styles import cell_text
from console.verify import view
from console.verify.model import VerifyReport, as_dict
from console.verify.runner import verify_on
from console.view import Cell


class VerifyScreen(ConsoleScreen):
    SCREEN_TITLE = "Verify"
    KEYS = VERIFY
    BINDINGS = VERIFY.bindings()

    def __init__(self) -> None:
        super().__init__()
        self.report: VerifyReport | None = None
        self.ran: float | None = None  # clock.counter() when the report shown started
        self.exported: Path | None = None  # where `e` wrote the report shown: said under its summary
        self._said = ("Running checks…", "")

    def compose_body(self) -> ComposeResult:
        with TabbedContent(id="verify-tabs"):
            with TabPane("Checks", id="checks-tab"):
                yield Static("Running checks…", id="verify-summary", markup=False)
                table: DataTable[Text] = DataTable(id="verify-table", cursor_type="row", zebra_stripes=True)
                table.add_columns("#", "status", "check", "found")
                yield table
                with VerticalScroll(id="verify-findings"):
                    yield Static("", id="verify-findings-text")
            with TabPane("Drift", id="drift-tab"):
                yield Static(self.hint("verify.drift"), id="drift-summary", markup=False)
                drift: DataTable[Text] = DataTable(id="drift-table", cursor_type="row", zebra_stripes=True)
                drift.add_columns("difference", "object", "name", "created by", "detail")
                yield drift

    def on_mount(self) -> None:
        self.action_rerun()

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
            self.app.call_from_thread(self._summary, f"cannot verify: {exc.message}", "bold red")
            return
        self.app.call_from_thread(self._show, report, started)

    def show_error(self, group: str, message: str) -> None:
        if group == "drift":
            self.query_one("#drift-summary", Static).update(Text(message, style="bold red"))
        else:
            self._summary(message, "bold red")

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
        table = self.query_one("#drift-table", DataTable)
        table.clear()
        for row in drift_view.difference_rows(report):
            table.add_row(*map(cell_text, row.cells))
        verdict = f"DRIFT: {len(report.drift)} difference(s)" if report.drift else "no drift"
        self.query_one("#drift-summary", Static).update(Text(
            f"{verdict}, {len(report.differences) - len(report.drift)} unsettled; {len(report.replayed)} "
            f"migration(s) from the {report.source} replayed in {report.elapsed_ms / 1000:.0f} s; "
            f"{self.key('verify.drift')}: again",
            style="bold red" if report.drift else "bold green"))

    def _summary(self, text: str, style: str = "") -> None:
        """The summary line, and on a line of its own the file the report shown was exported to (whole)."""
        self._said = (text, style)
        line = Text(printable(text), style=style)
        if self.exported is not None:
            line.append(f"\nexported to {printable(str(self.exported))}", style="bold")
        self.query_one("#verify-summary", Static).update(line)

    def _show(self, report: VerifyReport, started: float) -> None:
        self.report, self.ran, self.exported = report, started, None
        table = self.query_one("#verify-table", DataTable)
        table.clear()
        for row in view.check_rows(report):
            table.add_row(*map(cell_text, row.cells), key=row.key)
        findings = [Text.assemble(cell_text(Cell(f"{f.id} {f.status.text} ", f.status.style)), (f.name, "bold"),
                                  *(f"\n  {label + ':':<10}{value}" for label, value in f.details))
                    for f in view.findings(report)]
        self.query_one("#verify-findings-text", Static).update(
            Text("\n").join(findings) if findings else Text("every check passed", style="green"))
        counts = view.counts(report)
        verdict = "FAIL" if report.exit_code() else "PASS"
        ran = f" · ran at {fmt.clock(report.ran_at)}" if report.ran_at else ""
        self._summary(f"{verdict}: {counts} in {report.elapsed_ms:.0f} ms{ran} — "
                      f"{self.hint('verify.rerun', 'verify.export')}",
                      "bold red" if verdict == "FAIL" else "bold green")

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
