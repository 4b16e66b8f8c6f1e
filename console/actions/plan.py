"""What an operator action will do, decided before it does anything: the exact SQL (parameters bound, as the
server will receive it), what it touches, and how it runs (in its own read-write transaction or in autocommit)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Protocol

import psycopg

from console.infra.db import Conn, Timeouts
from console.infra.server import ServerInfo
from console.infra.write_gate import Need

# A catalog call (alter_job, drop_chunks, a policy) is quick once it has its lock; waiting for a lock is not.
QUICK = Timeouts(statement_ms=60_000, lock_ms=5_000)
# Compressing, refreshing or running a job may take minutes.
LONG = Timeouts(statement_ms=600_000, lock_ms=5_000)


@dataclass(frozen=True)
class Plan:
    """One action, ready to confirm: `statements` are exactly what will run, in order."""

    action: str
    statements: tuple[str, ...]
    touches: tuple[str, ...]
    autocommit: bool = False
    timeouts: Timeouts = QUICK
    notes: tuple[str, ...] = field(default=())
    expect_true: bool = False  # the last statement answers a boolean (pg_cancel_backend): false is a failure
    server_id: str | None = None  # the database it was planned on (ServerInfo.server_id), for the audit log
    needs: tuple[Need, ...] = ()  # what the role must hold to run it (asked by the write gate, dry runs included)
    nothing: str = "nothing to do"  # what a plan without statements says (it asks nothing): "nothing to drop"

    @property
    def sql(self) -> str:
        return ";\n".join(self.statements) + ";" if self.statements else ""

    def limited(self, statement_ms: int | None = None, lock_ms: int | None = None) -> Plan:
        """The plan under the operator's own timeouts (--statement-timeout, --lock-timeout) where given."""
        return replace(self, timeouts=Timeouts(statement_ms or self.timeouts.statement_ms,
                                               lock_ms or self.timeouts.lock_ms))


class Request(Protocol):
    """What the operator asked for; `plan` reads the server (read-only) and refuses with a ConsoleError."""

    @property
    def action(self) -> str: ...

    def plan(self, conn: Conn, info: ServerInfo) -> Plan: ...


def statement(conn: Conn, text: str, params: Mapping[str, object]) -> str:
    """`text` (a query file, its comment lines dropped) with `params` bound as literals: the exact SQL to show,
    audit and run."""
    body = "\n".join(line for line in text.strip().splitlines() if not line.lstrip().startswith("--"))
    return psycopg.ClientCursor(conn).mogrify(body, params)


def owner_of(relation: str) -> tuple[Need, ...]:
    """The write gate's need for an action only the owner of `relation` may run."""
    return (Need("OWNER", "owner", relation),)


def utc(value: datetime | None) -> str:
    """A time in UTC, labelled; '-' for an open end."""
    return f"{value.astimezone(UTC):%Y-%m-%d %H:%M} UTC" if value is not None else "-"
