"""`obsconsole job pause|resume|run ID`, `obsconsole job schedule ID INTERVAL`."""

from __future__ import annotations

from typing import Annotated

import typer

from console.commands.common import DryRunOption, DsnOption, YesOption, app, run_action

job_app = typer.Typer(help="Pause, resume, reschedule or run a background job (TimescaleDB Community).",
                      no_args_is_help=True)
app.add_typer(job_app, name="job")

JobId = Annotated[int, typer.Argument(help="The job's id (obsconsole snapshot, or the Jobs screen).")]


def _job(ctx: typer.Context, verb: str, job_id: int, dsn: str | None, yes: bool, dry_run: bool,
         interval: str | None = None) -> None:
    from console.actions.jobs import JobAction

    run_action(ctx, dsn, JobAction(verb, job_id, interval), yes=yes, dry_run=dry_run)


@job_app.command("pause")
def job_pause(ctx: typer.Context, job_id: JobId, yes: YesOption = False, dry_run: DryRunOption = False,
              dsn: DsnOption = None) -> None:
    """Pause a job: the scheduler stops starting it."""
    _job(ctx, "pause", job_id, dsn, yes, dry_run)


@job_app.command("resume")
def job_resume(ctx: typer.Context, job_id: JobId, yes: YesOption = False, dry_run: DryRunOption = False,
               dsn: DsnOption = None) -> None:
    """Resume a paused job."""
    _job(ctx, "resume", job_id, dsn, yes, dry_run)


@job_app.command("run")
def job_run(ctx: typer.Context, job_id: JobId, yes: YesOption = False, dry_run: DryRunOption = False,
            dsn: DsnOption = None) -> None:
    """Run a job now, in this session (the command waits for it)."""
    _job(ctx, "run", job_id, dsn, yes, dry_run)


@job_app.command("schedule")
def job_schedule(
    ctx: typer.Context,
    job_id: JobId,
    interval: Annotated[str, typer.Argument(help="New schedule interval: 10min, 1h, 1d, 1w.")],
    yes: YesOption = False,
    dry_run: DryRunOption = False,
    dsn: DsnOption = None,
) -> None:
    """Change a job's schedule interval."""
    from console.infra.durations import parse_interval

    _job(ctx, "schedule", job_id, dsn, yes, dry_run, parse_interval(interval, "INTERVAL"))
