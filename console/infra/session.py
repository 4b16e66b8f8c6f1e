"""The console's one connection for long-running use (the TUI): opened lazily, read-only by default,
reopened by itself after the server goes away, with the state a header needs to show."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TypeVar

import psycopg

from console.infra import clock
from console.infra.db import DEFAULT_TIMEOUTS, Conn, Timeouts, connect
from console.infra.dsn import ResolvedDsn
from console.infra.errors import ConsoleError, server_words
from console.infra.prepared import prepare_when_direct
from console.infra.queries import query
from console.infra.server import ServerInfo, server_info

T = TypeVar("T")


class Disconnected(ConsoleError):
    """The server is unreachable right now; the session retries on the next call."""


@dataclass(frozen=True)
class SessionState:
    """What the header shows about the connection."""

    connected: bool
    target: str
    endpoint: str  # host:port/database as libpq connected (or as the DSN names it before the first connection)
    info: ServerInfo | None
    disconnected_since: datetime | None
    last_error: str | None


class Session:
    """One connection shared by every screen; calls are serialized; a lost connection is reopened on the next
    call (each caller decides how often to retry)."""

    def __init__(self, target: ResolvedDsn, timeouts: Timeouts = DEFAULT_TIMEOUTS) -> None:
        self.target = target
        self.timeouts = timeouts
        self._lock = threading.Lock()
        self._conn: Conn | None = None
        self._info: ServerInfo | None = None
        self._disconnected_since: datetime | None = None
        self._last_error: str | None = None
        self._endpoint = target.endpoint
        self._last_answer: float | None = None  # clock.counter() when the server last answered a call

    @property
    def state(self) -> SessionState:
        return SessionState(self._conn is not None and not self._conn.closed, self.target.masked, self._endpoint,
                            self._info, self._disconnected_since, self._last_error)

    def call(self, fn: Callable[[Conn, ServerInfo], T]) -> T:
        """Run `fn(conn, info)` read-only. Raises Disconnected when the server cannot be reached."""
        with self._lock:
            return self._run(fn)

    def _run(self, fn: Callable[[Conn, ServerInfo], T]) -> T:
        conn, info = self._ensure()
        try:
            result = fn(conn, info)
        except psycopg.OperationalError as exc:
            if conn.closed or conn.broken:
                self._lost(server_words(exc))
                raise Disconnected(f"lost the connection to the server ({self._last_error})") from None
            raise
        self._last_answer = clock.counter()
        return result

    def check(self, fresh_s: float) -> bool | None:
        """Whether the server answers (a ping, reconnecting first when the connection was lost), for the screens
        that do not poll by themselves. Nothing is sent when a call got an answer within `fresh_s` seconds; None
        (not checked) when another call holds the connection right now (its outcome will tell)."""
        if not self._lock.acquire(blocking=False):
            return None
        try:
            if (self.state.connected and self._last_answer is not None
                    and clock.counter() - self._last_answer < fresh_s):
                return True
            try:
                self._run(lambda conn, _info: conn.execute(query("ping")))
            except Disconnected:
                return False
            except psycopg.Error:  # an answer, though not the one asked for (a timeout on a busy server)
                return None
            return True
        finally:
            self._lock.release()

    def close(self) -> None:
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None

    def _ensure(self) -> tuple[Conn, ServerInfo]:
        if self._conn is not None and not self._conn.closed and not self._conn.broken and self._info is not None:
            return self._conn, self._info
        try:
            self._conn = connect(self.target, timeouts=self.timeouts)
            self._info = server_info(self._conn)
            self._endpoint = endpoint(self._conn)
            prepare_when_direct(self._conn)  # the panes' queries repeat every refresh: planned once
        except ConsoleError as exc:
            self._lost(exc.message)
            raise Disconnected(exc.message) from None
        except psycopg.Error as exc:
            self._lost(server_words(exc))
            raise Disconnected(f"lost the connection to the server ({self._last_error})") from None
        self._disconnected_since = None
        self._last_error = None
        return self._conn, self._info

    def _lost(self, message: str) -> None:
        if self._conn is not None:
            self._conn.close()
        self._conn = None
        if self._disconnected_since is None:
            self._disconnected_since = clock.now()
        self._last_error = message.splitlines()[0] if message else "connection lost"


def endpoint(conn: Conn) -> str:
    """'host:port/database' as libpq connected (a socket directory stands for the host)."""
    return f"{conn.info.host}:{conn.info.port}/{conn.info.dbname}"
