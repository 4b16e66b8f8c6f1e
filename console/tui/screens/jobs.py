"""Jobs: every background job, as the dashboard's jobs pane reads them (runs made from obsconsole included, and
the same warning when no scheduler runs); Enter drills into one (config, stats, history, errors); `n` runs it
now, `p` pauses, `u` resumes, `s` reschedules it, each after showing its SQL and a confirmation (hidden in
read-only mode)."""

from __future__ import annotations

import json
from datetime import datetime
from functools import partial
from typing import Any

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import DataTable, Static

from console.actions import jobs as job_actions
from console.actions.jobs import JobAction, JobRun
from console.infra import clock, fmt
from console.infra.durations import parse_interval
from console.infra.errors import ConsoleError
from console.panes import Job, JobSummary, PaneResult, PaneStatus
from console.panes.jobs import COLUMNS, job_cells, jobs, next_start_text
from console.tui import registry
from console.tui.palette_items import PaletteCommand
from console.tui.screen_keys import JOB_DETAIL, JOBS
from console.tui.screens.action_confirm import AskScreen, read_only, start_action
from console.tui.screens.base import ConsoleScreen
from console.tui.widgets.fitted_table import FittedTable
from console.tui.widgets.server_header import ServerHeader
from console.view import ViewRow, fit_parts


class JobsScreen(ConsoleScreen):
    SCREEN_TITLE = "Jobs"
    KEYS = JOBS
    BINDINGS = JOBS.bindings()

    def __init__(self) -> None:
        super().__init__()
        self.jobs: dict[str, Job] = {}
        self.loaded: tuple[datetime, float] | None = None  # when the list shown was read: clock.now(), counter()
        self.said: tuple[str, ...] = ()  # the summary's parts, the counts first (fitted to the width: `_say`)
        self.in_view = ("", "")  # "12 of 15 jobs, scroll" and the columns hidden, as the table last said them

    def compose_body(self) -> ComposeResult:
        yield Static("Loading jobs…", id="jobs-summary", markup=False)
        yield Static("", id="jobs-warning", markup=False)
        yield FittedTable(id="jobs-table")

    def on_mount(self) -> None:
        self.action_reload()

    def on_screen_resume(self) -> None:
        """Re-entered: read again when the list is older than the refresh interval."""
        if self.loaded is None or clock.counter() - self.loaded[1] >= self.context.refresh_s:
            self.action_reload()

    def on_server_header_connection_changed(self, event: ServerHeader.ConnectionChanged) -> None:
        if event.connected:
            self.action_reload()
        elif self.loaded is not None:
            self._summary(f"last data shown · disconnected · ran at {fmt.clock(self.loaded[0])}", "bold red")

    def action_reload(self) -> None:
        self._load()

    def on_resize(self) -> None:
        self._say()

    def on_fitted_table_laid_out(self, event: FittedTable.LaidOut) -> None:
        self.in_view = (event.note("jobs"), event.hidden_note())
        self._say()

    @work(thread=True, exclusive=True, group="jobs", exit_on_error=False)
    def _load(self) -> None:
        try:
            result = self.session.call(lambda conn, info: jobs(conn, info))
        except ConsoleError as exc:
            shown = f" (last data shown: ran at {fmt.clock(self.loaded[0])})" if self.loaded else ""
            self.app.call_from_thread(self._summary, f"cannot list jobs: {exc.message}{shown}", "bold red")
            return
        self.app.call_from_thread(self._show, result, (clock.now(), clock.counter()))

    def show_error(self, group: str, message: str) -> None:
        if group == "jobs":
            self._summary(message, "bold red")
        else:
            super().show_error(group, message)

    def _summary(self, text: str, style: str = "") -> None:
        self.said = ()
        self.query_one("#jobs-summary", Static).update(Text(fmt.printable(text), style=style))

    def _say(self) -> None:
        """The counts, the jobs in view, when it ran; then the keys and the columns hidden where they fit."""
        if self.said:
            summary = self.query_one("#jobs-summary", Static)
            width = summary.content_size.width or self.size.width - 2
            counts, ran, keys = self.said
            summary.update(Text(fmt.printable(fit_parts([counts, self.in_view[0], ran, keys, self.in_view[1]], width,
                                                        keep=3))))

    def _show(self, result: PaneResult[Any, Any], loaded: tuple[datetime, float]) -> None:
        self.loaded = loaded
        ran = f"ran at {fmt.clock(loaded[0])}"
        rows: list[Job] = result.rows
        if not self.jobs:
            self.refresh_bindings()  # the first list: the server's edition is known now (its actions, or none)
        self.jobs = {str(job.job_id): job for job in rows}
        self.query_one("#jobs-table", FittedTable).show(COLUMNS, [ViewRow(str(j.job_id), job_cells(j)) for j in rows])
        summary: JobSummary | None = result.summary
        warning = self.query_one("#jobs-warning", Static)
        warning.update(Text(summary.not_scheduled, style="bold red") if summary and summary.not_scheduled else "")
        warning.display = bool(summary and summary.not_scheduled)
        if result.status is not PaneStatus.OK:
            self._summary(f"{result.reason or result.status.value} · {ran}", "yellow")
        else:
            failing = sum(1 for j in rows if j.last_run_status == "Failed")
            keys = self.hint("jobs.details", "jobs.run", "jobs.pause", "jobs.resume", "jobs.schedule", "jobs.reload")
            self.said = (f"{len(rows)} jobs, {failing} failing", ran, keys)
            self._say()

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

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Action keys are hidden (and refused) in read-only mode, and where the server's edition would only
        refuse them (alter_job and run_job need TimescaleDB Community)."""
        return bool(super().check_action(action, parameters)) and not (
            self.writes(action, parameters) and self._refused_edition())

    def _refused_edition(self) -> str:
        """The edition that refuses the job actions ('' where they run, or before the first connection)."""
        info = self.session.state.info
        return "" if info is None or info.community else info.edition

    def withheld_actions(self) -> list[tuple[str, str, str]]:
        """The job actions this server's edition would only refuse: not offered, said in `?`."""
        edition = self._refused_edition()
        if not edition or read_only(self):
            return []
        why = f"the {edition} edition refuses it: TimescaleDB Community only"
        return [(self.keys_of(action), title, why) for action, title in (
            ("job('run')", "Run now"), ("job('pause')", "Pause"), ("job('resume')", "Resume"),
            ("schedule", "Schedule"))]

    def action_job(self, verb: str) -> None:
        job = self._selected()
        if job is None:
            return
        start_action(self, JobAction(verb, job.job_id), self.action_reload)

    def action_schedule(self) -> None:
        job = self._selected()
        if job is None:
            return

        def answered(text: str | None) -> None:
            if not text:
                return
            try:
                interval = parse_interval(text, "interval")
            except ConsoleError as exc:
                self.notify(exc.message, severity="error")
                return
            start_action(self, JobAction("schedule", job.job_id, interval), self.action_reload)

        self.app.push_screen(AskScreen(f"New schedule interval for job {job.job_id} (now {job.schedule}):",
                                       "e.g. 10min, 1h, 1d"), answered)

    def palette_actions(self) -> list[PaletteCommand]:
        """The selected job's actions, for the command palette."""
        job = self._selected()
        if job is None or self._refused_edition():
            return []
        what = f"job {job.job_id} ({job.kind} on {job.target_name or '-'})"
        return [PaletteCommand(f"Run {what} now", partial(self.action_job, "run"),
                               f"{self.key('jobs.run')}: CALL run_job, after confirmation"),
                PaletteCommand(f"Pause {what}", partial(self.action_job, "pause"),
                               f"{self.key('jobs.pause')}: alter_job scheduled => false"),
                PaletteCommand(f"Resume {what}", partial(self.action_job, "resume"),
                               f"{self.key('jobs.resume')}: alter_job scheduled => true"),
                PaletteCommand(f"Reschedule {what}", self.action_schedule,
                               f"{self.key('jobs.schedule')}: alter_job schedule_interval")]


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

    BINDINGS = JOB_DETAIL.bindings()

    def __init__(self, job: Job, runs: list[JobRun]) -> None:
        super().__init__()
        self.job = job
        self.runs = runs

    def compose(self) -> ComposeResult:
        job = self.job
        facts = Table.grid(padding=(0, 2))  # nothing cut: long words (names, error texts) fold onto the next line
        facts.add_column(no_wrap=True)
        facts.add_column(ratio=1, overflow="fold")
        for label, value in [
            ("target", f"{job.target_kind or ''} {job.target_name or '-'}"),
            ("schedule", job.schedule + ("" if job.scheduled else " (paused)")),
            ("config", job.config_text),
            ("status", f"{job.status}; " + (
                "never ran" if job.last_run_status is None and job.last_run_started_at is None else
                f"last run {job.last_run_status or '?'}{' by hand' if job.last_run_by_hand else ''} at "
                f"{fmt.when(job.last_run_started_at) or '?'} took {fmt.short_duration(job.last_run_duration) or '?'}")),
            ("last success", fmt.when(job.last_success) or "never"),
            ("next start", fmt.when(job.next_start) if job.next_start is not None and not job.overdue_by
             else next_start_text(job)),
            ("runs", f"{job.total_runs} runs, {job.total_failures} failed, {job.total_crashes} crashed; "
                     f"{job.consecutive_failures} consecutive failures"
                     + (f"; {job.hand_runs} of the runs ({job.hand_failures} failed) made from obsconsole, from its "
                        "audit log (TimescaleDB does not count them)" if job.hand_runs else "")),
            ("last error", f"{job.last_error.sqlerrcode}: {job.last_error.message}" if job.last_error else "none"),
        ]:
            facts.add_row(Text(label, style="bold"), Text(fmt.printable(value)))
        runs = Table(title="Logged runs (newest first)", expand=True)
        for heading in ("started", "finished", "ok", "by", "error"):
            runs.add_column(heading, overflow="fold", no_wrap=heading == "ok")  # folded, never cut with "…"
        for run in self.runs:
            runs.add_row(fmt.when(run.started_at), fmt.when(run.finished_at),
                         {True: "yes", False: "FAILED", None: "?"}[run.succeeded],
                         "obsconsole (audit log)" if run.by_hand else "TimescaleDB log",
                         Text(fmt.one_line(f"{run.sqlerrcode or ''} {run.err_message or ''}")))
        config = Text(json.dumps(job.config, indent=2, default=str) if job.config else "{}")  # JSON escapes controls
        with VerticalScroll(id="job-detail-box"):
            # The name, then the proc on a line of its own: a schema-qualified proc is one long word, whole at 80.
            title = Text.assemble((f"job {job.job_id} ", "bold"), fmt.printable(job.name), "\n",
                                  (fmt.printable(job.proc), "italic"))
            yield Static(Group(title, Text(""), facts, Text(""), Text("config (jsonb)", style="bold"), config,
                               Text(""), runs))
            yield Static(f"{', '.join(registry.keys_in_force(self.app, JOB_DETAIL['job_detail.close']))}: close",
                         classes="hint")

    def action_close(self) -> None:
        self.dismiss(None)
