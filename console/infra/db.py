"""Opening the console's one connection: gentle settings, and driver errors turned into one clear line."""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator
from dataclasses import dataclass
from types import TracebackType

import psycopg

from console.infra.dsn import ResolvedDsn, scrub
from console.infra.errors import ConsoleError
from console.infra.queries import query

Conn = psycopg.Connection[tuple[object, ...]]  # every connection the console opens (autocommit or not)
APPLICATION_NAME = "obsconsole"
CONNECT_TIMEOUT_S = 5


@dataclass(frozen=True)
class Timeouts:
    """Per-session limits applied to everything the console runs."""

    statement_ms: int = 10_000
    lock_ms: int = 2_000


DEFAULT_TIMEOUTS = Timeouts()


class ConsoleConnection(psycopg.Connection[tuple[object, ...]]):
    """A connection whose `with` block turns a lost server (restart, crash, network) into one ConsoleError
    line (exit 2) instead of a traceback, or instead of results that an error swallowed along the way."""

    target: ResolvedDsn | None = None

    def close(self) -> None:
        """Undo the session settings before leaving: the tsl engine is one backend shared by successive
        connections, so otherwise the next client would inherit read-only mode and our timeouts."""
        if not self.closed and not self.broken and self.info.transaction_status == psycopg.pq.TransactionStatus.IDLE:
            with contextlib.suppress(psycopg.Error):
                self.execute(query("session_reset"))
        super().close()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc_val: BaseException | None, exc_tb: TracebackType | None
    ) -> None:
        lost = self.broken
        # libpq keeps the server's last word (e.g. "terminating connection due to administrator command") even
        # when the exception that reached us is a later "the connection is closed" or none at all.
        said = self.pgconn.error_message.decode(errors="replace").strip().splitlines() if lost else []
        super().__exit__(exc_type, exc_val, exc_tb)
        if not lost or not (exc_val is None or isinstance(exc_val, psycopg.Error)):
            return  # connected to the end, or a ConsoleError/other exception that says more
        self.close()
        first = re.sub(r"^(FATAL|ERROR):\s*", "", said[0].strip()) if said else ""
        detail = f" ({first})" if first else ""
        message = f"lost the connection to the server{detail}: was it stopped or restarted? Run the command again"
        raise ConsoleError(scrub(message, self.target.dsn if self.target else "")) from None


def connect(
    target: ResolvedDsn,
    *,
    read_only: bool = True,
    timeouts: Timeouts = DEFAULT_TIMEOUTS,
    autocommit: bool = True,
) -> psycopg.Connection[tuple[object, ...]]:
    """Connect as application_name=obsconsole with statement/lock timeouts; read-only unless asked.

    Raises ConsoleError (exit 2) with one line naming the problem, the password scrubbed.
    """
    try:
        conn = ConsoleConnection.connect(
            target.dsn,
            application_name=APPLICATION_NAME,
            connect_timeout=CONNECT_TIMEOUT_S,
            autocommit=True,
            # Never server-side prepared statements: the tsl engine is one backend shared by successive
            # connections, so a second connection's "_pg3_0" would collide with the first one's.
            prepare_threshold=None,
        )
    except (psycopg.Error, ValueError) as exc:
        raise ConsoleError(describe_connect_error(exc, target)) from None
    conn.target = target
    try:
        conn.execute(query("session_setup"), {
            "statement_timeout": f"{timeouts.statement_ms}ms",
            "lock_timeout": f"{timeouts.lock_ms}ms",
            "application_name": APPLICATION_NAME,
            "read_only": "on" if read_only else "off",
        })
    except psycopg.Error as exc:
        conn.close()
        raise ConsoleError(describe_connect_error(exc, target)) from None
    conn.autocommit = autocommit
    return conn


@contextlib.contextmanager
def session_timeouts(conn: psycopg.Connection[tuple[object, ...]], timeouts: Timeouts) -> Iterator[None]:
    """Run a block under other statement/lock timeouts on a long-lived session, then restore the old ones."""
    row = conn.execute(query("session_timeouts"), {"statement_timeout": f"{timeouts.statement_ms}ms",
                                                    "lock_timeout": f"{timeouts.lock_ms}ms"}).fetchone()
    assert row is not None
    try:
        yield
    finally:
        if not conn.closed and not conn.broken:
            if conn.info.transaction_status != psycopg.pq.TransactionStatus.IDLE:
                conn.rollback()
            conn.execute(query("session_timeouts"), {"statement_timeout": row[0], "lock_timeout": row[1]})


_BAD_DSN_HINTS = ("invalid dsn", "invalid integer value", "invalid port number", "invalid sslmode value")
_ENDPOINT = re.compile(r'connection to server (?:at "?([^",]+)"?(?:, port (\d+))?|on socket "([^"]+)")')


def describe_connect_error(exc: BaseException, target: ResolvedDsn) -> str:
    """One line for a failed connection: what went wrong, where, and what to check."""
    raw = str(exc).strip()
    where = _endpoint(raw)
    lowered = raw.lower()
    if isinstance(exc, psycopg.ProgrammingError) or any(hint in lowered for hint in _BAD_DSN_HINTS):
        detail = _last_line(raw).removeprefix("connection is bad: ")
        message = f"invalid DSN ({target.source}): {detail}"
    elif "password authentication failed" in lowered or "no password supplied" in lowered:
        message = f"authentication failed{where}: wrong user or password"
    elif "connection refused" in lowered or "is the server running" in lowered:
        # libpq adds that hint whenever the socket connect itself failed (refused, or e.g. a full listen queue
        # while the server starts): name the socket error, not the hint.
        message = f"cannot reach the server{where}: {_socket_error(raw)} (is it running, right host and port?)"
    elif "could not translate host name" in lowered or "name or service not known" in lowered:
        message = f"cannot resolve the host name{where}"
    elif "server closed the connection unexpectedly" in lowered:
        message = f"cannot connect{where}: the server closed the connection (is it shutting down or restarting?)"
    elif "timeout expired" in lowered:
        message = f"cannot reach the server{where}: no answer within {CONNECT_TIMEOUT_S} s"
    elif "does not exist" in lowered and "database" in lowered:
        message = f"the server{where} has no such database: {_last_line(raw)}"
    else:
        message = f"cannot connect{where}: {_last_line(raw)}"
    return scrub(message, target.dsn)


def _endpoint(raw: str) -> str:
    match = _ENDPOINT.search(raw)
    if not match:
        return ""
    host, port, socket = match.groups()
    return f" at {socket}" if socket else f" at {host}:{port}" if port else f" at {host}"


def _socket_error(raw: str) -> str:
    first = raw.strip().splitlines()[0] if raw.strip() else ""
    reason = first.rsplit("failed:", 1)[-1].strip() or "connection refused"
    return reason[:1].lower() + reason[1:]


def _last_line(raw: str) -> str:
    lines = [line.strip() for line in raw.splitlines() if line.strip()]
    last = lines[-1] if lines else "unknown error"
    last = re.sub(r"^(?:connection failed:\s*)?(?:connection to server (?:at|on socket) .*? failed:\s*)?", "", last)
    return re.sub(r"^(FATAL|ERROR):\s*", "", last)
