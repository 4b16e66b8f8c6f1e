"""Background jobs: policy, target, schedule, config in words, last run, next start, failures."""

from __future__ import annotations

from typing import Any

from rich.text import Text

from console.infra import fmt
from console.panes import Job, JobSummary, PaneResult
from console.tui.widgets.pane_box import PaneBox, Row


def job_cells(job: Job) -> list[Text]:
    """The cells of one job row (shared by the dashboard pane and the Jobs screen)."""
    status = job.last_run_status or "never ran"
    last = Text(status, style="bold red" if status == "Failed" else "green" if status == "Success" else "dim")
    if job.consecutive_failures:
        last.append(f" x{job.consecutive_failures} in a row", style="bold red")
    if job.next_start_stuck:
        next_start = Text("stuck (-infinity)", style="bold red")
    elif job.overdue_by is not None:
        next_start = Text(f"overdue {fmt.short_duration(job.overdue_by)}", style="bold yellow")
    else:
        next_start = Text(fmt.when(job.next_start))
    return [
        Text(str(job.job_id)), Text(job.kind), Text(job.target_name or ""), Text(job.schedule),
        Text(job.config_text), Text(job.status, style="cyan" if job.status == "Running" else ""), last, next_start,
        Text(f"{job.total_failures}/{job.total_runs}"),
    ]


JOB_COLUMNS = ("id", "kind", "target", "schedule", "config", "status", "last run", "next start", "fail/runs")


class JobsPane(PaneBox):
    TITLE = "Background jobs"
    COLUMNS = JOB_COLUMNS
    HAS_CHART = False

    def rows(self, result: PaneResult[Any, Any]) -> list[Row]:
        jobs: list[Job] = result.rows
        return [(str(job.job_id), job_cells(job)) for job in jobs]

    def status_line(self, result: PaneResult[Any, Any]) -> str:
        summary: JobSummary | None = result.summary
        if summary is None:
            return ""
        return (f"{summary.jobs} jobs · {summary.running} running · {summary.failing} failing · "
                f"{summary.overdue} overdue")
