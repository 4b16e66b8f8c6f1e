"""Verify: the checks table (PASS/WARN/FAIL/SKIP, expected, found, remedy), re-run, export JSON."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Static

from console.infra.errors import ConsoleError
from console.tui.screens.base import ConsoleScreen
from console.verify.model import Status, VerifyReport, as_dict
from console.verify.runner import verify_on

_STYLE = {Status.PASS: "green", Status.WARN: "yellow", Status.FAIL: "bold red", Status.SKIP: "dim",
          Status.COULD_NOT_CHECK: "yellow"}


class VerifyScreen(ConsoleScreen):
    SCREEN_TITLE = "Verify"
    BINDINGS = [
        Binding("r", "rerun", "Re-run"),
        Binding("e", "export", "Export JSON"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.report: VerifyReport | None = None

    def compose_body(self) -> ComposeResult:
        yield Static("Running checks…", id="verify-summary", markup=False)
        table: DataTable[Text] = DataTable(id="verify-table", cursor_type="row", zebra_stripes=True)
        table.add_columns("#", "check", "status", "expected", "found", "remedy")
        yield table

    def on_mount(self) -> None:
        self.action_rerun()

    def action_rerun(self) -> None:
        self._run()

    @work(thread=True, exclusive=True, group="verify", exit_on_error=False)
    def _run(self) -> None:
        directory = self.context.migrations_dir
        try:
            report = self.session.call(lambda conn, _info: verify_on(conn, directory=directory))
        except ConsoleError as exc:
            self.app.call_from_thread(self._summary, f"cannot verify: {exc.message}", "bold red")
            return
        self.app.call_from_thread(self._show, report)

    def _summary(self, text: str, style: str = "") -> None:
        self.query_one("#verify-summary", Static).update(Text(text, style=style))

    def _show(self, report: VerifyReport) -> None:
        self.report = report
        table = self.query_one("#verify-table", DataTable)
        table.clear()
        for check in report.checks:
            table.add_row(Text(check.id), Text(check.name), Text(check.status.value, style=_STYLE[check.status]),
                          Text(check.expected), Text(check.found), Text(check.remedy), key=check.id)
        counts = ", ".join(f"{report.count(s)} {s.value}" for s in Status)
        verdict = "FAIL" if report.exit_code() else "PASS"
        self._summary(f"{verdict}: {counts} in {report.elapsed_ms:.0f} ms — r: re-run, e: export JSON",
                      "bold red" if verdict == "FAIL" else "bold green")

    def action_export(self) -> None:
        if self.report is None:
            self.notify("no report yet", severity="warning")
            return
        path = Path.cwd() / f"obsconsole-verify-{datetime.now():%Y%m%d-%H%M%S}.json"
        path.write_text(json.dumps(as_dict(self.report), indent=2))
        self.notify(f"verify report written to {path}")
