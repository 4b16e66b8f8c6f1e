"""Jobs: every background job; Enter drills into one (config, stats, history, errors); `n` runs it now after
confirmation."""

from __future__ import annotations

import json
from typing import Any

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import DataTable, Static

from console.actions import jobs as job_actions
from console.actions.jobs import JobRun
from console.infra import fmt
from console.infra.errors import ConsoleError
from console.panes import Job, PaneResult, PaneStatus
from console.panes.jobs import COLUMNS, job_cells, jobs
from console.tui.screens.base import ConsoleScreen
from console.tui.screens.confirm import ConfirmScreen
from console.tui.widgets.styles import cell_text
from console.tui.widgets.table_sync import sync_rows


class JobsScreen(ConsoleScreen):
    SCREEN_TITLE = "Jobs"
    BINDINGS = [
        Binding("r", "reload", "Reload"),
        Binding("enter", "details", "Details"),
        Binding("n", "run_now", "Run now"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.jobs: dict[str, Job] = {}

    def compose_body(self) -> ComposeResult:
        yield Static("Loading jobs…", id="jobs-summary", markup=False)
        table: DataTable[Text] = DataTable(id="jobs-table", cursor_type="row", zebra_stripes=True)
        table.add_columns(*(column.name for column in COLUMNS))
        yield table

    def on_mount(self) -> None:
        self.action_reload()

    def on_screen_resume(self) -> None:
        self.action_reload()

    def action_reload(self) -> None:
        self._load()

    @work(thread=True, exclusive=True, group="jobs", exit_on_error=False)
    def _load(self) -> None:
        try:
            result = self.session.call(lambda conn, info: jobs(conn, info))
        except ConsoleError as exc:
            self.app.call_from_thread(self._summary, f"cannot list jobs: {exc.message}", "bold red")
            return
        self.app.call_from_thread(self._show, result)

    def _summary(self, text: str, style: str = "") -> None:
        self.query_one("#jobs-summary", Static).update(Text(text, style=style))

    def _show(self, result: PaneResult[Any, Any]) -> None:
        rows: list[Job] = result.rows
        self.jobs = {str(job.job_id): job for job in rows}
        sync_rows(self.query_one("#jobs-table", DataTable),
                  [(str(j.job_id), [cell_text(c) for c in job_cells(j)]) for j in rows])
        if result.status is not PaneStatus.OK:
            self._summary(result.reason or result.status.value, "yellow")
        else:
            failing = sum(1 for j in rows if j.last_run_status == "Failed")
            self._summary(f"{len(rows)} jobs, {failing} failing — Enter: details, n: run now, r: reload")

    def _selected(self) -> Job | None:
        table = self.query_one("#jobs-table", DataTable)
        if table.row_count == 0:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return self.jobs.get(str(key))

    def action_details(self) -> None:
        job = self._selected()
        if job is not None:
            self._open_details(job)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        job = self.jobs.get(str(event.row_key.value))
        if job is not None:
            self._open_details(job)

    def _open_details(self, job: Job) -> None:
        open_job_details(self, job)

    def action_run_now(self) -> None:
        job = self._selected()
        if job is None:
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self._run(job)

        self.app.push_screen(ConfirmScreen(f"Run job {job.job_id} ({job.kind} on {job.target_name or '-'}) now?",
                                           f"{job.config_text}. It runs in this session: the console waits for it."),
                             answered)

    @work(thread=True, exclusive=True, group="jobs-run", exit_on_error=False)
    def _run(self, job: Job) -> None:
        try:
            seconds = self.session.call_writable(lambda conn, info: job_actions.run_now(conn, info, job.job_id))
        except ConsoleError as exc:
            self.app.call_from_thread(self.notify, exc.message, severity="error", timeout=10)
        else:
            self.app.call_from_thread(self.notify, f"job {job.job_id} ran in {seconds:.2f} s")
        self._load()


def open_job_details(screen: ConsoleScreen, job: Job) -> None:
    """Load the job's logged runs off the UI thread, then open its detail (the Jobs screen and the dashboard)."""

    def load() -> None:
        try:
            runs = screen.session.call(lambda conn, info: job_actions.history(conn, info, job.job_id))
        except ConsoleError as exc:
            runs = []
            screen.app.call_from_thread(screen.notify, f"history unavailable: {exc.message}", severity="warning")
        screen.app.call_from_thread(screen.app.push_screen, JobDetailScreen(job, runs))

    screen.run_worker(load, thread=True, exclusive=True, group="jobs-detail", exit_on_error=False)


class JobDetailScreen(ModalScreen[None]):
    """One job: config, stats, last error and logged runs."""

    BINDINGS = [Binding("escape,q", "close", "Close")]

    def __init__(self, job: Job, runs: list[JobRun]) -> None:
        super().__init__()
        self.job = job
        self.runs = runs

    def compose(self) -> ComposeResult:
        job = self.job
        facts = Table.grid(padding=(0, 2))
        for label, value in [
            ("job", f"{job.job_id} {job.name} ({job.proc})"),
            ("target", f"{job.target_kind or ''} {job.target_name or '-'}"),
            ("schedule", job.schedule + ("" if job.scheduled else " (paused)")),
            ("config", job.config_text),
            ("status", f"{job.status}; last run {job.last_run_status or 'never'} at {fmt.when(job.last_run_started_at)}"
                       f" took {fmt.short_duration(job.last_run_duration)}"),
            ("last success", fmt.when(job.last_success) or "never"),
            ("next start", "stuck (-infinity)" if job.next_start_stuck else fmt.when(job.next_start)),
            ("runs", f"{job.total_runs} runs, {job.total_failures} failed, {job.total_crashes} crashed; "
                     f"{job.consecutive_failures} consecutive failures"),
            ("last error", f"{job.last_error.sqlerrcode}: {job.last_error.message}" if job.last_error else "none"),
        ]:
            facts.add_row(Text(label, style="bold"), Text(value))
        runs = Table("started", "finished", "ok", "error", title="Logged runs (newest first)", expand=True)
        for run in self.runs:
            runs.add_row(fmt.when(run.started_at), fmt.when(run.finished_at),
                         {True: "yes", False: "FAILED", None: "?"}[run.succeeded],
                         Text(f"{run.sqlerrcode or ''} {run.err_message or ''}".strip()))
        config = Text(json.dumps(job.config, indent=2, default=str) if job.config else "{}")
        with VerticalScroll(id="job-detail-box"):
            yield Static(Group(facts, Text(""), Text("config (jsonb)", style="bold"), config, Text(""), runs))
            yield Static("Escape closes.", classes="hint")

    def action_close(self) -> None:
        self.dismiss(None)
