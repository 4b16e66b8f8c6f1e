"""Cancelling or terminating a backend (the one blocking the console or a migration), after showing who it is,
what it runs and the locks involved."""

from __future__ import annotations

from dataclasses import dataclass

from console.actions.plan import QUICK, Plan, statement
from console.infra.db import Conn
from console.infra.errors import ConsoleError
from console.infra.fmt import printable
from console.infra.queries import query
from console.infra.server import ServerInfo
from console.infra.sqltext import shown_query


@dataclass(frozen=True)
class BackendSignal:
    """pg_cancel_backend (`cancel`) or pg_terminate_backend (`terminate`) on `pid` (any edition)."""

    verb: str
    pid: int
    writes = False  # signals a backend; changes no data (allowed on a standby or a read-only database)

    @property
    def action(self) -> str:
        return f"backend {self.verb} {self.pid}"

    def plan(self, conn: Conn, info: ServerInfo) -> Plan:
        if self.verb not in ("cancel", "terminate"):
            raise ConsoleError(f"unknown backend action {self.verb!r} (use cancel or terminate)")
        row = conn.execute(query("actions/backend_target"), {"pid": self.pid}).fetchone()
        if row is None:
            raise ConsoleError(f"no backend with pid {self.pid} on this server")
        pid, app, user, state, backend_type, text, blocked_by, blocking, locks, other_locks, is_self, may = row
        if is_self:
            raise ConsoleError(f"pid {self.pid} is this console's own session")
        if not may:  # asked here, so that a dry run is refused as the run would be
            role, owner = conn.info.user, printable(str(user or "-"))
            raise ConsoleError(f"{self.action} refused, nothing was signalled: role {role!r} may not signal pid "
                               f"{self.pid} (user {owner}): it needs that role's privileges, or pg_signal_backend "
                               f"for a backend that is not a superuser's (GRANT pg_signal_backend TO {role})")
        touches = (
            f"pid {pid}: application {printable(str(app or '-'))!r}, user {printable(str(user or '-'))}, "
            f"{printable(str(state or backend_type or '-'))}",
            f"query: {shown_query(str(text or ''))}",
            f"locks: {_texts(locks)}"
            f"{f' (and {other_locks} on chunks and catalogs)' if other_locks else ''}",
            f"blocks pids: {_pids(blocking)}; waits for pids: {_pids(blocked_by)}",
        )
        effect = ("its current query is cancelled; the session stays" if self.verb == "cancel"
                  else "its session ends and its open transaction rolls back")
        sql = statement(conn, query(f"actions/backend_{self.verb}"), {"pid": self.pid})
        return Plan(self.action, (sql,), touches, timeouts=QUICK, notes=(effect,), expect_true=True)


def _pids(value: object) -> str:
    return ", ".join(str(p) for p in value) or "none" if isinstance(value, list) else "none"


def _texts(value: object) -> str:
    return ", ".join(printable(str(v)) for v in value) or "none" if isinstance(value, list) else "none"
