"""What the recorder reads besides the panes, each read cheap and read-only: the migration ledger (a few rows),
the job runs logged since the previous snapshot (where the server keeps a job history), verify on a slower
cadence, and the operator actions the local audit log holds for this server."""

from __future__ import annotations

from datetime import datetime

from psycopg import errors as pgerrors
from psycopg.rows import dict_row

from console.actions import audit
from console.infra.db import Conn
from console.infra.errors import ConsoleError
from console.infra.queries import for_version
from console.infra.server import ServerInfo
from console.migrator import ledger
from console.recording.model import Event, JobRun, Kind, Migration

_CANNOT = (pgerrors.UndefinedTable, pgerrors.UndefinedFunction, pgerrors.InsufficientPrivilege,
           pgerrors.FeatureNotSupported, pgerrors.QueryCanceled, pgerrors.InvalidSchemaName)


def migrations(conn: Conn) -> list[Migration]:
    """The ledger's rows (none where obsconsole's ledger does not exist)."""
    with conn.transaction():
        rows = ledger.rows(conn)
    return [Migration(r.version, r.description, r.installed_on, r.success) for r in rows.values()]


def job_runs(conn: Conn, info: ServerInfo, since: datetime) -> list[JobRun]:
    """Runs logged after `since`; none where the server keeps no history (or refuses to show it)."""
    if info.timescaledb_installed is None:
        return []
    try:
        with conn.transaction(), conn.cursor(row_factory=dict_row) as cur:
            rows = cur.execute(for_version("recording/job_history", info.tsdb_version_tuple),
                               {"since": since}).fetchall()
    except _CANNOT:
        return []
    return [JobRun(r["job_id"], r["started_at"], bool(r["succeeded"]), r["message"]) for r in rows]


def verify_statuses(conn: Conn) -> dict[str, str]:
    """Each verify check's status (the checks' own timeouts apply)."""
    from console.verify.runner import verify_on

    report = verify_on(conn)
    return {check.id: check.status.value for check in report.checks}


class AuditTail:
    """The audit log's entries for one server that are newer than the last ones seen."""

    def __init__(self, server: str, since: datetime) -> None:
        self.server = server
        self.since = since

    def new_events(self) -> list[Event]:
        events = []
        try:
            entries = audit.read_unchanged().entries  # damaged lines are `obsconsole audit`'s to name
        except ConsoleError:
            return []  # an unreadable log: no action events this time, the recording goes on
        for entry in entries:
            try:
                when = datetime.fromisoformat(entry.time)
            except ValueError:
                continue  # a time edited into another shape: not an event
            if entry.server == self.server and when > self.since and entry.outcome != audit.INTENT:
                events.append(Event(when, Kind.ACTION, entry.action,
                                    f"{entry.user}: {entry.action} -> {entry.outcome}"))
        if events:
            self.since = max(e.at for e in events)
        return events
