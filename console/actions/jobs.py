"""One job up close: its run history (TimescaleDB's log and the runs made from obsconsole, which TimescaleDB does
not count: from the audit log), and the job actions (pause, resume, schedule, run now)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import ClassVar

from psycopg.rows import class_row

from console.actions import audit
from console.actions.plan import LONG, Plan, statement
from console.infra import fmt
from console.infra.db import Conn
from console.infra.errors import ConsoleError
from console.infra.queries import for_version, query
from console.infra.server import ServerInfo
from console.infra.write_gate import COMMUNITY, Need, alter_job

JOB_VERBS = ("pause", "resume", "schedule", "run")
NO_SCHEDULER = ("no TimescaleDB scheduler runs for this database (e.g. the tsl engine has no background workers): "
                "a paused, resumed or rescheduled job only matters where a scheduler runs")


@dataclass(frozen=True)
class JobRun:
    """One logged run of a job."""

    started_at: datetime | None
    finished_at: datetime | None
    succeeded: bool | None
    sqlerrcode: str | None
    err_message: str | None
    by_hand: bool = False  # run from obsconsole (`job run`, the console's run): read from the audit log


RUN_ACTION = re.compile(r"^job run (\d+)$")
FAILED = "failed: "


def history(conn: Conn, info: ServerInfo, job_id: int, limit: int = 20) -> list[JobRun]:
    """The job's latest runs, newest first: those TimescaleDB logged (failures only before 2.15) and those made
    from obsconsole on this machine (the audit log)."""
    with conn.cursor(row_factory=class_row(JobRun)) as cur:
        text = for_version("jobs/history", info.tsdb_version_tuple)
        logged = cur.execute(text, {"job_id": job_id, "limit": limit}).fetchall()
    runs = logged + hand_runs(info.server_id).get(job_id, [])
    return sorted(runs, key=lambda r: r.started_at or r.finished_at or datetime.min.astimezone(), reverse=True)[:limit]


def hand_runs(server_id: str | None) -> dict[int, list[JobRun]]:
    """Per job, newest first, the runs obsconsole made (`job run`, the console's run, the seed's aftercare) on the
    database `server_id` (ServerInfo.server_id), as this machine's audit log recorded them. TimescaleDB keeps no
    statistics for a run by hand (CALL run_job). Refusals, cancellations and dry runs did not run and are left out;
    so is everything when the database has no identity or the log cannot be read."""
    if server_id is None:
        return {}
    try:
        entries = audit.read_unchanged().entries  # damaged lines are `obsconsole audit`'s to name
    except (OSError, ConsoleError):
        return {}
    runs: dict[int, list[JobRun]] = {}
    for entry in reversed(entries):
        match = RUN_ACTION.match(entry.action)
        if entry.server_id != server_id or match is None or not (entry.outcome == "done"
                                                                   or entry.outcome.startswith(FAILED)):
            continue
        try:
            finished = datetime.fromisoformat(entry.time)
            started = finished - timedelta(milliseconds=entry.duration_ms or 0)
        except (TypeError, ValueError):
            continue  # a line edited by hand
        failed = entry.outcome.startswith(FAILED)
        runs.setdefault(int(match.group(1)), []).append(JobRun(
            started, finished, not failed, None, entry.outcome.removeprefix(FAILED) if failed else None, True))
    return runs


@dataclass(frozen=True)
class JobAction:
    """Pause, resume, reschedule (`interval`, a PostgreSQL interval) or run a job now."""

    requires: ClassVar[tuple[Need, ...]] = (COMMUNITY,)  # asked of the write gate before the plan

    verb: str
    job_id: int
    interval: str | None = None

    @property
    def action(self) -> str:
        every = f" every {self.interval}" if self.verb == "schedule" else ""
        return f"job {self.verb} {self.job_id}{every}"

    def plan(self, conn: Conn, info: ServerInfo) -> Plan:
        if self.verb not in JOB_VERBS:
            raise ConsoleError(f"unknown job action {self.verb!r} (use {', '.join(JOB_VERBS)})")
        if self.verb == "schedule" and not self.interval:
            raise ConsoleError("job schedule needs an interval, e.g. 10min")
        row = conn.execute(query("actions/job_target"), {"job_id": self.job_id}).fetchone()
        if row is None:
            raise ConsoleError(f"no job {self.job_id} on this server")
        job_id, name, proc, schema, table, every, scheduled = row
        on = f" on {schema}.{table}" if table else ""
        state = "scheduled" if scheduled else "paused"
        period = fmt.short_duration(every) if isinstance(every, timedelta) else str(every)
        touches = (f"job {job_id} {name} ({proc}){on}; every {period}, {state}",)
        params = {"job_id": self.job_id, "interval": self.interval}
        sql = statement(conn, query(f"actions/job_{self.verb}"), params)
        if self.verb == "run":
            return Plan(self.action, (sql,), touches, autocommit=True, timeouts=LONG,
                        notes=("it runs in this session: the command waits for it",), needs=(alter_job(self.job_id),))
        running = conn.execute(query("actions/scheduler_running")).fetchone()
        notes = () if running and running[0] else (NO_SCHEDULER,)
        return Plan(self.action, (sql,), touches, notes=notes, needs=(alter_job(self.job_id),))
