"""Opening the console's one connection: gentle settings that cannot outlive the console's own transactions,
and driver errors turned into one clear line.

Nothing is set at session level: every statement runs inside a transaction the console starts (a bare
`execute` gets a short one of its own) whose first statement sets, with SET LOCAL, the statement and lock
timeouts and quiet notices; a read-only connection begins its transactions READ ONLY. So nothing is left on
the server's session when the console is done — which matters behind a transaction pooler (pgbouncer hands
the same server session to other clients between transactions) and on the tsl engine (one backend shared by
successive connections). The one exception, `outside_transaction`, is for the few statements PostgreSQL will
not run in a transaction block; only writing commands use it, and they refuse a pooler first.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from types import TracebackType
from typing import Any, Self, TypeVar

import psycopg
import psycopg.sql
from psycopg import errors as pgerrors
from psycopg import sql
from psycopg.abc import Params, Query
from psycopg.copy import Copy, Writer

from console.infra import boundary
from console.infra.dsn import ResolvedDsn, scrub
from console.infra.errors import ConnectionLost, ConsoleError
from console.infra.queries import query

Conn = psycopg.Connection[tuple[object, ...]]  # every connection the console opens (autocommit or not)
APPLICATION_NAME = "obsconsole"
CONNECT_TIMEOUT_S = 5
Row = TypeVar("Row", covariant=True)
IDLE = psycopg.pq.TransactionStatus.IDLE


@dataclass(frozen=True)
class Timeouts:
    """Per-transaction limits applied to everything the console runs."""

    statement_ms: int = 10_000
    lock_ms: int = 2_000


DEFAULT_TIMEOUTS = Timeouts()


# PGlite behind pglite-socket as published crashes, losing its data, on a client message over ~64 KiB (it arrives
# in two socket reads). Our launcher (engines/tsl-server.mjs) gathers whole messages, but another may not: the
# console refuses to send a WASM engine one a little smaller than that.
WASM_MESSAGE_LIMIT = 60 << 10


def wasm_engine(version: str) -> bool:
    """True when `version` (SELECT version()) is the tsl engine: PostgreSQL compiled to WebAssembly (PGlite).

    Its version string reads "PostgreSQL 17.5 on aarch64-unknown-linux-gnu, compiled by emcc (Emscripten ...)
    ..., 32-bit". That engine serves one connection at a time and crashes on COPY FROM STDIN, pipeline mode and
    (behind a launcher that does not gather whole messages, as ours does) client messages over ~64 KiB. A
    genuine 32-bit native server would also match "32-bit"; it then merely gets the limits of the tsl engine,
    which work everywhere.
    """
    lowered = version.lower()
    return "emscripten" in lowered or "wasm" in lowered or "32-bit" in lowered


class ConsoleCursor(psycopg.Cursor[Row]):
    """A cursor whose statements, when the connection is not in a transaction, run in a short transaction of
    their own that starts with the connection's SET LOCAL settings; on the tsl engine a statement whose message
    would exceed WASM_MESSAGE_LIMIT is refused before it is sent."""

    def execute(self, query: Query, params: Params | None = None, *, prepare: bool | None = None,
                binary: bool | None = None) -> Self:
        _check_size(self.connection, query, params)
        try:
            with _own_transaction(self.connection):
                return super().execute(query, params, prepare=prepare, binary=binary)  # type: ignore[arg-type,misc]
        except psycopg.Error as exc:
            _remember(exc, self.connection, query)
            raise

    def executemany(self, query: Query, params_seq: Iterable[Params], *, returning: bool = False) -> None:
        if isinstance(self.connection, ConsoleConnection) and self.connection.message_limit is not None:
            params_seq = list(params_seq)
            for params in params_seq:
                _check_size(self.connection, query, params)
        try:
            with _own_transaction(self.connection):
                super().executemany(query, params_seq, returning=returning)
        except psycopg.Error as exc:
            _remember(exc, self.connection, query)
            raise

    @contextlib.contextmanager
    def copy(self, statement: Query, params: Params | None = None, *,
             writer: Writer | None = None) -> Iterator[Copy]:
        with _own_transaction(self.connection), super().copy(statement, params, writer=writer) as copy:
            yield copy


def _check_size(conn: psycopg.Connection[Any], statement: Query, params: Params | None) -> None:
    """ConsoleError (exit 2) when `statement` with `params` would be a larger message than the server takes."""
    limit = conn.message_limit if isinstance(conn, ConsoleConnection) else None
    if limit is None:
        return
    if isinstance(statement, (str, bytes)):
        text = statement
    elif isinstance(statement, psycopg.sql.Composable):
        text = statement.as_string(conn)
    else:
        text = str(statement)
    size = len(text.encode() if isinstance(text, str) else text) + _size(params)
    if size > limit:
        raise ConsoleError(f"refused to send a statement of {size:,} bytes with its values: the tsl engine takes "
                           f"no message over ~64 KiB (a larger one crashes it); the limit here is {limit:,} bytes. "
                           "Nothing was sent: use shorter values")


def _size(value: object) -> int:
    """Bytes `value` (parameters, nested) takes on the wire, at least: text as UTF-8, bytes as they are, any
    other value 8 (its binary size; the seeder's batches keep their own tighter budget)."""
    if value is None:
        return 0
    if isinstance(value, (bytes, bytearray, memoryview)):
        return len(value)
    if isinstance(value, str):
        return len(value.encode(errors="replace"))
    if isinstance(value, dict):
        return sum(_size(v) for v in value.values())
    if isinstance(value, (list, tuple)):
        return sum(_size(v) for v in value)
    return 8
def _remember(exc: psycopg.Error, conn: psycopg.Connection[Any], statement: Query) -> None:
    """Keep the failed statement and the role with the error, for the error boundary's words."""
    text = statement.decode(errors="replace") if isinstance(statement, bytes) else (
        statement if isinstance(statement, str) else "")
    if not text and isinstance(statement, sql.Composable) and not conn.closed and not conn.broken:
        with contextlib.suppress(psycopg.Error):
            text = statement.as_string(conn)
    boundary.attach(exc, statement=text, role=conn.info.user if not conn.closed else None)


@contextlib.contextmanager
def _own_transaction(conn: psycopg.Connection[Any]) -> Iterator[None]:
    if isinstance(conn, ConsoleConnection) and not conn.bare and conn.info.transaction_status == IDLE:
        with conn.transaction():
            yield
    else:
        yield


class ConsoleConnection(psycopg.Connection[tuple[object, ...]]):
    """A connection whose transactions start with SET LOCAL timeouts (and READ ONLY unless writable), and
    whose `with` block turns a lost server (restart, crash, network) into one ConsoleError line (exit 2)
    instead of a traceback, or instead of results that an error swallowed along the way."""

    target: ResolvedDsn | None = None
    timeouts: Timeouts = DEFAULT_TIMEOUTS
    bare: bool = False  # inside outside_transaction(): statements run as they are
    message_limit: int | None = None  # the largest message the server takes (the tsl engine's), None: no limit

    @contextlib.contextmanager
    def transaction(self, savepoint_name: str | None = None,
                    force_rollback: bool = False) -> Iterator[psycopg.Transaction]:
        """psycopg's transaction block; an outermost one starts with the console's SET LOCAL settings."""
        outermost = self.info.transaction_status == IDLE
        with super().transaction(savepoint_name, force_rollback) as tx:
            if outermost:
                super().execute(query("session_local"), {"statement_timeout": f"{self.timeouts.statement_ms}ms",
                                                         "lock_timeout": f"{self.timeouts.lock_ms}ms"})
            yield tx

    @contextlib.contextmanager
    def writable(self) -> Iterator[None]:
        """Transactions begin as the server's default (not READ ONLY) for the block: the user asked for a write,
        and the caller checked first (console.infra.guard) that writing is allowed here."""
        before = self.read_only
        self.read_only = None
        try:
            yield
        finally:
            if not self.closed and not self.broken:
                if self.info.transaction_status != IDLE:
                    self.rollback()
                self.read_only = before

    def __exit__(
        self, exc_type: type[BaseException] | None, exc_val: BaseException | None, exc_tb: TracebackType | None
    ) -> None:
        lost = self.broken
        if isinstance(exc_val, pgerrors.LockNotAvailable | pgerrors.QueryCanceled) and not lost and not self.closed:
            self._name_holders(exc_val)
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
        if "must be preloaded" in first:  # the backend exits on touching an extension the server did not load
            message = ("TimescaleDB is installed in this database but this server does not load it "
                       "(shared_preload_libraries lacks timescaledb, e.g. a replica set up unlike its primary): add "
                       "timescaledb to shared_preload_libraries and restart the server")
        raise ConnectionLost(scrub(message, self.target.dsn if self.target else "")) from None

    def _name_holders(self, exc: psycopg.Error) -> None:
        """Who holds the locks the failed statement waited for, kept with the error (the boundary says it)."""
        from console.infra.locks import holders_of, strong_lock_holders

        if self.info.transaction_status != IDLE:
            with contextlib.suppress(psycopg.Error):
                self.rollback()
        statement = boundary.circumstances(exc).statement
        with contextlib.suppress(psycopg.Error):
            boundary.attach(exc, holders=(holders_of(self, statement) if statement else None)
                            or strong_lock_holders(self))


def connect(
    target: ResolvedDsn,
    *,
    read_only: bool = True,
    timeouts: Timeouts = DEFAULT_TIMEOUTS,
) -> ConsoleConnection:
    """Connect as application_name=obsconsole; every transaction under `timeouts`; READ ONLY unless asked.

    Raises ConsoleError (exit 2) with one line naming the problem, the password scrubbed.
    """
    try:
        conn = ConsoleConnection.connect(
            target.dsn,
            application_name=APPLICATION_NAME,
            connect_timeout=CONNECT_TIMEOUT_S,
            autocommit=True,
            cursor_factory=ConsoleCursor,
            # Never server-side prepared statements: the tsl engine is one backend shared by successive
            # connections (and a pooler hands server sessions around), so "_pg3_0" could collide.
            prepare_threshold=None,
        )
    except (psycopg.Error, ValueError) as exc:
        raise ConsoleError(describe_connect_error(exc, target)) from None
    conn.target = target
    conn.timeouts = timeouts
    conn.read_only = True if read_only else None
    try:
        # The first transaction: its SET LOCAL shows a role the server refuses.
        row = conn.execute(query("server_version_text")).fetchone()
    except pgerrors.QueryCanceled:
        conn.close()
        raise ConsoleError(scrub(_setup_cancelled(target), target.dsn)) from None
    except psycopg.Error as exc:
        conn.close()
        raise ConsoleError(describe_connect_error(exc, target)) from None
    if row is not None and wasm_engine(str(row[0])):
        conn.message_limit = WASM_MESSAGE_LIMIT
    return conn


def _setup_cancelled(target: ResolvedDsn) -> str:
    return (f"connected ({target.masked}), but the role's own statement_timeout cancelled the console's session "
            "set-up (its first statement): raise it for this role (ALTER ROLE … SET statement_timeout) or "
            "connect as another role")


@contextlib.contextmanager
def session_timeouts(conn: psycopg.Connection[Any], timeouts: Timeouts) -> Iterator[None]:
    """Run a block under other statement/lock timeouts (applied with SET LOCAL to each transaction it starts)."""
    if not isinstance(conn, ConsoleConnection):
        yield
        return
    before = conn.timeouts
    conn.timeouts = timeouts
    try:
        yield
    finally:
        conn.timeouts = before


@contextlib.contextmanager
def writable(conn: psycopg.Connection[Any]) -> Iterator[None]:
    """ConsoleConnection.writable() for any connection (others are left as they are)."""
    if isinstance(conn, ConsoleConnection):
        with conn.writable():
            yield
    else:
        yield


@contextlib.contextmanager
def outside_transaction(conn: psycopg.Connection[Any]) -> Iterator[None]:
    """For statements PostgreSQL refuses in a transaction block (CALL run_job, refresh_continuous_aggregate,
    CREATE INDEX CONCURRENTLY, VACUUM): the connection's timeouts are set on the session for the block and put
    back after it. Only writing commands use this, after console.infra.guard refused a pooler."""
    if not isinstance(conn, ConsoleConnection):
        yield
        return
    params = {"statement_timeout": f"{conn.timeouts.statement_ms}ms", "lock_timeout": f"{conn.timeouts.lock_ms}ms"}
    conn.bare = True
    try:
        row = conn.execute(query("session_timeouts"), params).fetchone()
        assert row is not None
        try:
            yield
        finally:
            if not conn.closed and not conn.broken:
                if conn.info.transaction_status != IDLE:
                    conn.rollback()
                conn.execute(query("session_timeouts"), {"statement_timeout": row[0], "lock_timeout": row[1]})
    finally:
        conn.bare = False


_BAD_DSN_HINTS = ("invalid dsn", "invalid integer value", "invalid port number", "invalid sslmode value",
                  "connection info string", "percent-encoded", 'matching "]"', "unexpected spaces", "invalid uri",
                  "invalid connection option", "unterminated quoted", "missing \"=\"")
# libpq's parse messages quote pieces of the DSN (a password among them): each is said in our own words.
_DSN_PROBLEMS = (
    ("unexpected spaces found", "the URL holds an unencoded space (write a space as %20)"),
    ('missing "="', "a key/value DSN has a word without =value (separate key=value pairs by spaces; quote a "
                    "value holding spaces: password='a b')"),
    ("invalid percent-encoded token", "the URL holds a bad %-escape (% must be followed by two hex digits; "
                                      "write % itself as %25)"),
    ("unterminated quoted string", "a quoted value is not closed (a ' is missing)"),
    ("invalid port number", "the port is not a number between 1 and 65535 (an unencoded @, : or / in the "
                            "password also ends up there: percent-encode them)"),
    ("invalid sslmode value", "sslmode must be disable, allow, prefer, require, verify-ca or verify-full"),
    ("invalid integer value", "an option that takes a number has another value"),
    ("invalid uri query parameter", "the URL has a query parameter libpq does not know"),
    ("invalid connection option", "the DSN has an option libpq does not know"),
    ('matching "]"', "an IPv6 host address in the URL lacks its closing ]"),
    ("invalid uri", "the URL is malformed"),
)
_ENDPOINT = re.compile(r'connection to server (?:at "?([^",]+)"?(?:, port (\d+))?|on socket "([^"]+)")')
_PLAIN_HOST = re.compile(r"failed to resolve host '([A-Za-z0-9._-]+)'")


def describe_connect_error(exc: BaseException, target: ResolvedDsn) -> str:
    """One line for a failed connection: what went wrong, where, and what to check — in our own words wherever
    libpq's would quote the DSN."""
    raw = str(exc).strip()
    where = scrub(_endpoint(raw), target.dsn)
    lowered = raw.lower()
    if isinstance(exc, psycopg.ProgrammingError) or any(hint in lowered for hint in _BAD_DSN_HINTS):
        detail = next((said for hint, said in _DSN_PROBLEMS if hint in lowered),
                      "libpq cannot parse it (postgresql://user:password@host:port/db, or key=value pairs)")
        message = f"invalid DSN ({target.source}): {detail}"
    elif "no password supplied" in lowered:
        message = (f"the server{where} asks for a password and none was given: put it in the DSN, PGPASSWORD or "
                   "~/.pgpass")
    elif "password authentication failed" in lowered:
        message = f"authentication failed{where}: wrong user or password"
    elif "permission denied for database" in lowered or "not have connect privilege" in lowered:
        message = (f"the role may not connect to this database{where}: it lacks the CONNECT privilege "
                   "(GRANT CONNECT ON DATABASE … TO …)")
    elif "connection refused" in lowered or "is the server running" in lowered:
        # libpq adds that hint whenever the socket connect itself failed (refused, or e.g. a full listen queue
        # while the server starts): name the socket error, not the hint.
        reason = scrub(_socket_error(raw), target.dsn)
        message = f"cannot reach the server{where}: {reason} (is it running, right host and port?)"
    elif "failed to resolve host" in lowered:
        host = _PLAIN_HOST.search(raw)
        message = f"cannot resolve the host name {scrub(host.group(1), target.dsn)!r}" if host else (
            "cannot resolve the DSN's host name (it is not a valid host name: an unencoded @ or : in the password "
            "splits the URL in the wrong place; percent-encode them)")
    elif "could not translate host name" in lowered or "name or service not known" in lowered:
        message = f"cannot resolve the host name{where}"
    elif "server closed the connection unexpectedly" in lowered or "terminating connection due to" in lowered:
        message = f"cannot connect{where}: the server closed the connection (is it shutting down or restarting?)"
    elif "timeout expired" in lowered:
        message = f"cannot reach the server{where}: no answer within {CONNECT_TIMEOUT_S} s"
    elif "does not exist" in lowered and "database" in lowered:
        message = f"the server{where} has no such database: {scrub(_last_line(raw), target.dsn)}"
    else:
        message = f"cannot connect{where}: {scrub(_last_line(raw), target.dsn)}"
    return message  # every piece of libpq's text in it went through scrub()


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
