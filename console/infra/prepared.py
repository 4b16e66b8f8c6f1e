"""Server-side prepared statements, where the server session is the console's own.

The panes' queries over TimescaleDB's information views take the server ~20 ms to plan and ~2 ms to run; a console
repeating them every few seconds should plan them once. That is safe only on a direct connection to a server
process of its own: through a pooler the next transaction may run in another server session (where the statement
does not exist), and the tsl engine is one server session shared by successive clients (pg_backend_pid() is 0
there), where names would collide and outlive the console. Prepared statements end with the session: nothing is
left on the server.
"""

from __future__ import annotations

from console.infra.db import Conn
from console.infra.guard import pooler

PREPARE_AFTER = 1  # executions before a statement is prepared: a one-off statement never is


def prepare_when_direct(conn: Conn) -> bool:
    """Let psycopg prepare statements run more than once on `conn` when its server session is its own (a server
    process, the one the connection announced, and no pooler); otherwise never. True when enabled."""
    # pooler() checks that the serving process is the announced one; tsl announces (and serves from) pid 0
    direct = conn.info.backend_pid != 0 and pooler(conn) is None
    conn.prepare_threshold = PREPARE_AFTER if direct else None
    return direct
