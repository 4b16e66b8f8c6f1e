"""`obsconsole job pause|resume|run ID`, `obsconsole job schedule ID INTERVAL`."""

from __future__ import annotations

from typing import Annotated

import typer

from console.commands.common import (
    ActionFlags,
    DryRunOption,
    DsnOption,
    LockTimeoutOption,
    StatementTimeoutOption,
    YesOption,
    group,
    run_action,
)

job_app = group("job", "Pause, resume, reschedule or run a background job (TimescaleDB Community).")

JobId = Annotated[int, typer.Argument(help="The job's id (obsconsole snapshot, or the Jobs screen).")]


def _job(ctx: typer.Context, verb: str, job_id: int, dsn: str | None, flags: ActionFlags,
         interval: str | None = None) -> None:
    from console.actions.jobs import JobAction

    run_action(ctx, dsn, JobAction(verb, job_id, interval), flags)


@job_app.command("pause")
def job_pause(ctx: typer.Context, job_id: JobId, yes: YesOption = False, dry_run: DryRunOption = False,
              lock_timeout: LockTimeoutOption = None, statement_timeout: StatementTimeoutOption = None,
              dsn: DsnOption = None) -> None:
    """Pause a job: the scheduler stops starting it."""
    _job(ctx, "pause", job_id, dsn, ActionFlags(yes, dry_run, lock_timeout, statement_timeout))


@job_app.command("resume")
def job_resume(ctx: typer.Context, job_id: JobId, yes: YesOption = False, dry_run: DryRunOption = False,
               lock_timeout: LockTimeoutOption = None, statement_timeout: StatementTimeoutOption = None,
               dsn: DsnOption = None) -> None:
    """Resume a paused job."""
    _job(ctx, "resume", job_id, dsn, ActionFlags(yes, dry_run, lock_timeout, statement_timeout))


@job_app.command("run")
def job_run(ctx: typer.Context, job_id: JobId, yes: YesOption = False, dry_run: DryRunOption = False,
            lock_timeout: LockTimeoutOption = None, statement_timeout: StatementTimeoutOption = None,
            dsn: DsnOption = None) -> None:
    """Run a job now, in this session (the command waits for it)."""
    _job(ctx, "run", job_id, dsn, ActionFlags(yes, dry_run, lock_timeout, statement_timeout))


@job_app.command("schedule")
def job_schedule(
    ctx: typer.Context,
    job_id: JobId,
    interval: Annotated[str, typer.Argument(help="New schedule interval: 10min, 1h, 1d, 1w.")],
    yes: YesOption = False,
    dry_run: DryRunOption = False,
    lock_timeout: LockTimeoutOption = None,
    statement_timeout: StatementTimeoutOption = None,
    dsn: DsnOption = None,
) -> None:
    """Change a job's schedule interval."""
    from console.infra.durations import parse_interval

    flags = ActionFlags(yes, dry_run, lock_timeout, statement_timeout)
    _job(ctx, "schedule", job_id, dsn, flags, parse_interval(interval, "INTERVAL"))
