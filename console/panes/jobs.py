"""Background jobs pane: every job with its policy kind, target (the view name for a continuous aggregate),
schedule, config in words, whether it runs now, its last run, next start (overdue beyond a grace; when empty,
why), run counts, consecutive failures and the latest error. Runs made from obsconsole, which TimescaleDB keeps
no statistics for, count from the audit log (console.actions.jobs.hand_runs): the dashboard, the Jobs screen and
a job's detail all read them from here."""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

from console.actions.jobs import JobRun, hand_runs
from console.infra import clock, fmt
from console.infra.db import Conn
from console.infra.fmt import interval_words
from console.infra.server import ServerInfo
from console.panes.common import (
    DEFAULT_TIMEOUT_MS,
    Pane,
    PaneData,
    PaneResult,
    run_pane,
    status_view,
    unavailable,
    unavailable_reason,
)
from console.panes.rows import Row, fetch
from console.panes.view import PaneView
from console.view import Align, Cell, Column, Style, ViewRow

NAME = "jobs"
TITLE = "Background jobs"
DEFAULT_GRACE = timedelta(minutes=1)

KINDS = {
    "policy_compression": "compression",
    "policy_retention": "retention",
    "policy_refresh_continuous_aggregate": "refresh",
    "policy_reorder": "reorder",
    "policy_job_stat_history_retention": "job history retention",
    "policy_telemetry": "telemetry",
}


@dataclass(frozen=True)
class JobError:
    """The latest failure logged for a job (timescaledb_information.job_errors)."""

    at: datetime | None
    sqlerrcode: str | None
    message: str | None


@dataclass(frozen=True)
class Job:
    """One background job and its state."""

    job_id: int
    name: str  # application_name, e.g. "Retention Policy [1007]"
    kind: str  # compression | retention | refresh | reorder | job history retention | telemetry | custom
    proc: str  # schema.proc_name
    owner: str
    target_schema: str | None
    target_name: str | None  # the hypertable, or the continuous aggregate's view name (any version)
    target_kind: str | None  # "hypertable" | "continuous aggregate" | None
    scheduled: bool  # False: paused
    fixed_schedule: bool
    schedule_interval: timedelta  # months count as 30 days; see `schedule` for the exact words
    schedule: str  # "every 5 minutes"
    config: dict[str, Any] | None
    config_text: str  # "compress after 7 days", "drop after 90 days", "refresh from 2 days to 1 hour ago"
    status: str  # Running | Scheduled | Paused
    last_run_status: str | None  # Success | Failed | None (never ran)
    last_run_started_at: datetime | None
    last_run_duration: timedelta | None
    last_success: datetime | None
    next_start: datetime | None
    next_start_stuck: bool  # next_start is -infinity: the scheduler will never start it (fixed in 2.26.4)
    overdue_by: timedelta | None  # how long past next_start (beyond the grace), when not running
    total_runs: int
    total_successes: int
    total_failures: int
    total_crashes: int
    consecutive_failures: int
    consecutive_crashes: int
    last_error: JobError | None
    no_next_start: str | None = None  # why next_start is empty: "paused", "no scheduler", "never scheduled"
    hand_runs: int = 0  # runs made from obsconsole (audit log), counted in total_runs
    hand_failures: int = 0  # of those, failed (counted in total_failures)
    last_run_by_hand: bool = False  # the last run shown is one made from obsconsole

    @property
    def running(self) -> bool:
        return self.status == "Running"

    @property
    def failing(self) -> bool:
        return self.last_run_status == "Failed" or self.consecutive_failures > 0 or self.consecutive_crashes > 0


@dataclass(frozen=True)
class JobSummary:
    """Counts over every job, and the worker budget the scheduler has."""

    jobs: int
    scheduled: int
    running: int
    failing: int
    overdue: int
    stuck: int
    max_background_workers: int | None  # timescaledb.max_background_workers
    max_worker_processes: int | None
    grace: timedelta
    measured_at: datetime
    not_scheduled: str | None = None  # why no job of this database will run by itself (no scheduler), or None
    scheduler_unknown: str | None = None  # the role cannot see whether the scheduler runs: the grant it needs


def jobs(
    conn: Conn, info: ServerInfo, *, timeout_ms: int = DEFAULT_TIMEOUT_MS, grace: timedelta = DEFAULT_GRACE
) -> PaneResult[Job, JobSummary]:
    """The background jobs pane (both editions: the Apache edition has built-in jobs, which fail there)."""
    reason = unavailable_reason(info, "background jobs", community=False)
    if reason:
        return unavailable(NAME, TITLE, reason)

    def body(conn: Conn) -> PaneData[Job, JobSummary]:
        rows = fetch(conn, "panes/jobs", {"grace": grace})
        scheduler = fetch(conn, "panes/scheduler")[0]
        by_hand = hand_runs(info.server_id)
        found = [with_hand_runs(_job(r, bool(scheduler["scheduler_running"])), by_hand.get(r["job_id"], []))
                 for r in rows]
        first = rows[0] if rows else {}
        summary = JobSummary(
            jobs=len(found),
            scheduled=sum(j.scheduled for j in found),
            running=sum(j.running for j in found),
            failing=sum(j.failing for j in found),
            overdue=sum(j.overdue_by is not None for j in found),
            stuck=sum(j.next_start_stuck for j in found),
            max_background_workers=_int(first.get("max_background_workers")),
            max_worker_processes=_int(first.get("max_worker_processes")),
            grace=grace,
            measured_at=first.get("db_now") or clock.now().astimezone(),
            not_scheduled=_not_scheduled(scheduler, info) if found else None,
            scheduler_unknown=None if scheduler["stats_readable"] or scheduler["wasm"] or scheduler[
                "scheduler_running"] else ("cannot read whether TimescaleDB's scheduler runs (other sessions in "
                                           f"pg_stat_activity): GRANT pg_read_all_stats TO {scheduler['role']}"),
        )
        return PaneData(found, summary, "no background jobs")

    return run_pane(conn, NAME, TITLE, timeout_ms, body)


def _not_scheduled(row: Row, info: ServerInfo) -> str | None:
    """Why jobs will not run by themselves here, or None when TimescaleDB's scheduler runs for this database."""
    if row["scheduler_running"]:
        return None
    if not row["stats_readable"] and not row["wasm"]:  # the scheduler's row is hidden from this role
        return None
    if row["wasm"]:
        cause = "this engine has no background workers (WASM)"
    elif not row["launcher_running"]:
        cause = "no TimescaleDB launcher runs (timescaledb not in shared_preload_libraries, or " \
                "timescaledb.max_background_workers = 0)"
    else:
        cause = (f"no scheduler for database {info.database} (timescaledb.max_background_workers="
                 f"{row['max_background_workers']} may be used up by other databases' schedulers and jobs)")
    late = f"; {row['never_ran_past_start']} job(s) are past their start and never ran" \
        if row["never_ran_past_start"] else ""
    return (f"jobs are not being scheduled: {cause}{late}. They run only by hand (CALL run_job), and TimescaleDB "
            "does not count such runs in its job statistics (runs made from obsconsole are counted from its audit "
            "log)")


def with_hand_runs(job: Job, runs: list[JobRun]) -> Job:
    """The job with the runs made from obsconsole (newest first) counted in: in its run counts, and as its last
    run, last success and latest error where later than what TimescaleDB recorded."""
    if not runs:
        return job
    failures = [r for r in runs if r.succeeded is False]
    changes: dict[str, Any] = {"hand_runs": len(runs), "hand_failures": len(failures),
                               "total_runs": job.total_runs + len(runs),
                               "total_successes": job.total_successes + len(runs) - len(failures),
                               "total_failures": job.total_failures + len(failures)}
    latest = runs[0]
    if latest.started_at is not None and (job.last_run_started_at is None
                                          or latest.started_at > job.last_run_started_at):
        changes.update(last_run_status="Success" if latest.succeeded else "Failed",
                       last_run_started_at=latest.started_at, last_run_by_hand=True,
                       last_run_duration=latest.finished_at - latest.started_at if latest.finished_at else None)
    success = next((r.finished_at for r in runs if r.succeeded), None)
    if success is not None and (job.last_success is None or success > job.last_success):
        changes["last_success"] = success
    failed = failures[0] if failures else None
    if failed is not None and (job.last_error is None or job.last_error.at is None
                               or (failed.finished_at is not None and failed.finished_at > job.last_error.at)):
        changes["last_error"] = JobError(failed.finished_at, None, f"{failed.err_message} (run by hand)")
    return replace(job, **changes)


def _job(row: Row, scheduler_running: bool) -> Job:
    status = row["job_status"] or ("Scheduled" if row["scheduled"] else "Paused")
    no_next_start = None
    if row["next_start"] is None and not row["next_start_stuck"]:
        no_next_start = ("paused" if not row["scheduled"] else "no scheduler" if not scheduler_running
                         else "never scheduled")
    error = None
    if row["last_error"] is not None or row["last_error_code"] is not None:
        error = JobError(row["last_error_at"], row["last_error_code"], row["last_error"])
    return Job(
        job_id=row["job_id"],
        name=row["application_name"],
        kind=KINDS.get(row["proc_name"], "custom"),
        proc=f"{row['proc_schema']}.{row['proc_name']}",
        owner=row["owner"],
        target_schema=row["target_schema"],
        target_name=row["target_name"],
        target_kind=row["target_kind"],
        scheduled=row["scheduled"],
        fixed_schedule=row["fixed_schedule"],
        schedule_interval=row["schedule_interval"],
        schedule=f"every {interval_words(row['schedule_text'])}" + (" (fixed)" if row["fixed_schedule"] else ""),
        config=row["config"],
        config_text=config_words(row),
        status=status,
        last_run_status=row["last_run_status"],
        last_run_started_at=row["last_run_started_at"],
        last_run_duration=row["last_run_duration"],
        last_success=row["last_successful_finish"],
        next_start=row["next_start"],
        next_start_stuck=row["next_start_stuck"],
        overdue_by=row["overdue_by"],
        total_runs=row["total_runs"],
        total_successes=row["total_successes"],
        total_failures=row["total_failures"],
        total_crashes=row["total_crashes"],
        consecutive_failures=row["consecutive_failures"],
        consecutive_crashes=row["consecutive_crashes"],
        last_error=error,
        no_next_start=no_next_start,
    )


def config_words(row: Row) -> str:
    """A job's config in words, from the interval columns of panes/jobs.sql and the raw config."""
    proc, config = row["proc_name"], row["config"] or {}
    if proc == "policy_compression":
        if row["compress_after"] is not None:
            text = f"compress after {interval_words(row['compress_after'])}"
        elif row["compress_created_before"] is not None:
            text = f"compress chunks created before {interval_words(row['compress_created_before'])}"
        else:
            text = "compress"
        if config.get("maxchunks_to_compress"):
            text += f", at most {config['maxchunks_to_compress']} chunks per run"
        return text
    if proc in ("policy_retention", "policy_job_stat_history_retention"):
        what = "drop job history" if proc == "policy_job_stat_history_retention" else "drop"
        if row["drop_after"] is not None:
            return f"{what} after {interval_words(row['drop_after'])}"
        if row["drop_created_before"] is not None:
            return f"drop chunks created before {interval_words(row['drop_created_before'])}"
        return what
    if proc == "policy_refresh_continuous_aggregate":
        start, end = interval_words(row["start_offset"]), interval_words(row["end_offset"])
        if start is None and end is None:
            return "refresh everything"
        if end is None:
            return f"refresh from {start} ago to now"
        return f"refresh from {start or 'the beginning'} to {end} ago"
    if proc == "policy_reorder":
        return f"reorder chunks by index {config.get('index_name', '?')}"
    if proc == "policy_telemetry":
        return "report telemetry"
    return json.dumps(config, sort_keys=True) if config else "no config"


def _int(value: object) -> int | None:
    try:
        return int(str(value))
    except ValueError:
        return None


COLUMNS = (
    Column("id", 0, Align.RIGHT),
    Column("target", 0, identifier=True, wrap=True),
    Column("status", 0),
    Column("last run", 0, wrap=True),
    Column("next start", 0, wrap=True),
    Column("kind", 1, wrap=True),
    Column("fails/runs", 2, Align.RIGHT),
    Column("schedule", 2, wrap=True),
    Column("last run at", 4, wrap=True),
    Column("config", 3, wrap=True),
    Column("last success", 4),
)


def last_run_cell(job: Job) -> Cell:
    """'Success', 'Success by hand', 'Failed x3 in a row' or 'never ran'."""
    if job.last_run_status is None:
        return Cell.of("never ran", Style.DIM)
    text = job.last_run_status + (" by hand" if job.last_run_by_hand else "") + (
        f" x{job.consecutive_failures} in a row" if job.consecutive_failures else "")
    return Cell.of(text, Style.BAD if job.failing else Style.OK)


def next_start_text(job: Job) -> str:
    """The next start in UTC, 'overdue 5 min', 'stuck (-infinity)', or why there is none."""
    if job.next_start_stuck:
        return "stuck (-infinity)"
    if job.overdue_by is not None:
        return f"overdue {fmt.duration_words(job.overdue_by)}"
    return fmt.when_short(job.next_start) if job.next_start is not None else job.no_next_start or ""


def next_start_cell(job: Job) -> Cell:
    style = Style.BAD if job.next_start_stuck else Style.WARN if job.overdue_by is not None else \
        Style.DIM if job.next_start is None else Style.PLAIN
    return Cell.of(next_start_text(job), style)


def what_it_does(job: Job, *, proc: bool = True) -> str:
    """For a job without a hypertable: its kind and its proc ('job history retention:
    policy_job_stat_history_retention'); without `proc`, its kind alone where that names it (a custom job's proc
    always shows)."""
    name = job.proc.rpartition(".")[2]
    return f"{job.kind}: {name}" if proc or job.kind == "custom" else job.kind


def job_cells(job: Job, *, proc: bool = True) -> tuple[Cell, ...]:
    """One job's cells in COLUMNS order (the dashboard pane and the Jobs screen share them). The pane leaves a
    built-in job's proc name out of its target (`proc`): 33 characters beside the key columns of a pane 80
    columns wide would wrap every row; its detail (Enter) and the Jobs screen name it."""
    target = (job.target_name or "") + (" (cagg)" if job.target_kind == "continuous aggregate" else "")
    took = f", {fmt.duration_words(job.last_run_duration)}" if job.last_run_duration is not None else ""
    return (
        Cell.of(job.job_id), Cell.of(target or what_it_does(job, proc=proc)),
        Cell.of(job.status, Style.ACTIVE if job.running else Style.DIM if not job.scheduled else Style.PLAIN),
        last_run_cell(job), next_start_cell(job), Cell.of(job.kind),
        Cell.of(f"{job.total_failures}/{job.total_runs}", Style.BAD if job.total_failures else Style.PLAIN),
        Cell.of(job.schedule), Cell.of(f"{fmt.when_short(job.last_run_started_at)}{took}"), Cell.of(job.config_text),
        Cell.of(fmt.when(job.last_success)),
    )


def view(result: PaneResult[Job, JobSummary]) -> PaneView:
    """A row per job; the latest error of each failing job as a note."""
    summary = result.summary
    if summary is None or not result.rows:
        return status_view(result, COLUMNS)
    rows = tuple(ViewRow(str(j.job_id), job_cells(j, proc=False)) for j in result.rows)
    warning = (Cell.of(summary.not_scheduled, Style.BAD) if summary.not_scheduled else
               Cell.of(summary.scheduler_unknown, Style.WARN) if summary.scheduler_unknown else None)
    notes = tuple(Cell.of(f"job {j.job_id} latest error ({fmt.when(j.last_error.at)}): "
                          f"{j.last_error.sqlerrcode or ''} {j.last_error.message or ''}".rstrip(), Style.BAD)
                  for j in result.rows if j.last_error is not None)
    workers = (f" · max_background_workers={summary.max_background_workers}"
               if summary.max_background_workers is not None else "")
    scheduled = "NOT SCHEDULED · " if summary.not_scheduled else ""
    line = (f"{scheduled}{summary.jobs} jobs · {summary.running} running · {summary.failing} failing · "
            f"{summary.overdue} overdue (grace {fmt.duration_words(summary.grace)}) · {summary.stuck} stuck{workers}")
    return PaneView(NAME, TITLE, result.status.value, COLUMNS, rows, line, warning, notes, None, result.elapsed_ms)


PANE = Pane(NAME, TITLE, lambda conn, info, options: jobs(conn, info, timeout_ms=options.timeout_for(NAME),
                                                          grace=options.grace), view)
