"""Who holds the locks a timed-out statement waited for: one line for verify's COULD NOT CHECK, a pane's timeout
reason and an operator action's lock timeout."""

from __future__ import annotations

import re

import psycopg

from console.infra.fmt import printable
from console.infra.queries import query

Conn = psycopg.Connection[tuple[object, ...]]  # as console.infra.db's (which asks here after a lock wait)


def strong_lock_holders(conn: Conn) -> str | None:
    """The sessions holding strong locks in this database (asked after a read ran out of time), or None."""
    return _holders(conn, None)


def holders_of(conn: Conn, sql: str) -> str | None:
    """The sessions holding a lock on a relation `sql` names (asked after its lock wait ran out), or None."""
    return _holders(conn, sorted(set(re.findall(r"[A-Za-z_][A-Za-z0-9_$]*", sql))))


def _holders(conn: Conn, relnames: list[str] | None) -> str | None:
    try:
        holders = conn.execute(query("locks/holders"), {"relnames": relnames}).fetchall()
    except psycopg.Error:
        holders = []
    if not holders:
        return None
    return "; ".join(f"pid {pid} ({printable(str(app))}) holds {mode} on {printable(str(rel))}"
                     f"{_chunks(int(str(chunks)))} for {seconds} s" for pid, app, mode, rel, chunks, seconds in holders)


def _chunks(count: int) -> str:
    """How many of the hypertable's chunks the same lock covers, said after its name."""
    if not count:
        return ""
    return f" (and {count} of its chunk{'s' if count != 1 else ''})"
