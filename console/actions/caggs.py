"""Refreshing a continuous aggregate over a window (in autocommit: the procedure refuses a transaction)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import ClassVar

from console.actions.plan import LONG, Plan, owner_of, statement, utc
from console.infra.db import Conn
from console.infra.errors import ConsoleError
from console.infra.queries import query
from console.infra.server import ServerInfo
from console.infra.write_gate import COMMUNITY, Need


@dataclass(frozen=True)
class CaggRefresh:
    """Refresh `view` over [start, end); None is an open end."""

    requires: ClassVar[tuple[Need, ...]] = (COMMUNITY,)  # asked of the write gate before the plan

    view: str
    start: datetime | None
    end: datetime | None

    @property
    def action(self) -> str:
        return f"cagg refresh {self.view} from {utc(self.start)} to {utc(self.end)}"

    def plan(self, conn: Conn, info: ServerInfo) -> Plan:
        if self.start is not None and self.end is not None and self.start >= self.end:
            raise ConsoleError(f"--from {utc(self.start)} is not before --to {utc(self.end)}")
        row = conn.execute(query("actions/cagg_target"), {"name": self.view}).fetchone()
        if row is None:
            raise ConsoleError(f"no continuous aggregate {self.view!r} on this server")
        view, source, materialized_only = row
        window = {"start": _literal(self.start), "end": _literal(self.end)}
        sql = statement(conn, query("actions/cagg_refresh"), {"view": view, **window})
        touches = (f"{view} (reads {source}, real-time {'off' if materialized_only else 'on'}): buckets from "
                   f"{utc(self.start)} to {utc(self.end)} are recomputed",)
        return Plan(self.action, (sql,), touches, autocommit=True, timeouts=LONG,
                    notes=("runs outside a transaction (refresh_continuous_aggregate refuses one)",),
                    needs=owner_of(str(view)))


def _literal(moment: datetime | None) -> str | None:
    """A window end as the SQL shows it: ISO 8601 in UTC, whole seconds."""
    return moment.astimezone(UTC).replace(microsecond=0).isoformat() if moment is not None else None
