"""Before anything is written: is there a pooler between us and the server, a hot standby, or a read-only
default? The write gate (console.infra.write_gate) refuses every write in all three cases with one line naming
the cause; `doctor` reports the same facts."""

from __future__ import annotations

from dataclasses import dataclass

from console.infra.db import Conn
from console.infra.queries import query

# Where a setting's value came from (pg_settings.source) in words.
_SOURCES = {
    "database": "on this database (ALTER DATABASE … SET)",
    "user": "on this role (ALTER ROLE … SET)",
    "database user": "on this role in this database (ALTER ROLE … IN DATABASE … SET)",
    "configuration file": "in the server's configuration file",
    "client": "by the client (PGOPTIONS or the DSN's options)",
    "command line": "on the server's command line",
}


@dataclass(frozen=True)
class WriteGuard:
    """What stands between the console and a write."""

    pooler: str | None  # how a pooler showed itself, or None for a direct connection
    in_recovery: bool
    read_only_default: bool
    read_only_source: str

    def refusal(self) -> str | None:
        """Why writing here is refused (the cause and what to do), or None when it is allowed."""
        if self.in_recovery:
            return ("the server is a hot standby (pg_is_in_recovery() is true) and cannot be written: connect to "
                    "the primary")
        if self.pooler:
            return (f"connected through a connection pooler ({self.pooler}): writing needs one server session "
                    "for its whole run (the migration lock, no-transaction statements), which a pooler does not "
                    "guarantee; connect directly to PostgreSQL (its own host and port)")
        if self.read_only_default:
            where = _SOURCES.get(self.read_only_source, f"(source: {self.read_only_source})")
            return (f"transactions are read-only by default here (default_transaction_read_only = on, set {where}) "
                    "and obsconsole never overrides that: connect as a role meant to write, or reset the setting")
        return None


def pooler(conn: Conn) -> str | None:
    """How a pooler between us and the server showed itself, or None: the server process must be the one the
    connection announced at start-up, and the same for two transactions in a row."""
    first = _pid(conn)
    second = _pid(conn)
    if first != second:
        return f"the server process changed between two transactions: pid {first}, then {second}"
    announced = conn.info.backend_pid
    if first != announced:
        return f"the server process (pid {first}) is not the one the connection announced (pid {announced})"
    return None


def inspect(conn: Conn) -> WriteGuard:
    """The facts, read in three short transactions."""
    found = pooler(conn)
    row = conn.execute(query("guard/writable")).fetchone()
    assert row is not None
    return WriteGuard(found, bool(row[0]), bool(row[1]), str(row[2]))


def _pid(conn: Conn) -> int:
    row = conn.execute(query("guard/backend_pid")).fetchone()
    assert row is not None
    return int(str(row[0]))
