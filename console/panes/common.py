"""The pane contract: what every pane returns, and running one pane's queries under its own statement timeout.

The helpers that read and group rows are in console/panes/rows.py.

A pane never raises because the server cannot provide it: a feature the edition lacks, a missing object or
privilege becomes status `unavailable` with the reason; a query over the pane's statement or lock timeout
becomes status `timeout`. Connection loss and real bugs still raise (the caller reconnects or reports).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from enum import StrEnum
from typing import Any, Generic, TypeVar

from psycopg import errors as pgerrors

from console.infra import boundary, clock
from console.infra.db import Conn
from console.infra.errors import cannot_read, server_words
from console.infra.locks import strong_lock_holders
from console.infra.queries import query
from console.infra.server import ServerInfo
from console.panes.catalog.cache import PaneCache
from console.panes.view import PaneView
from console.panes.window import CostWindow
from console.view import Cell, Column, Style

R = TypeVar("R")
S = TypeVar("S")

DEFAULT_TIMEOUT_MS = 5_000


class PaneStatus(StrEnum):
    """ok: rows to show; empty: nothing to show (reason says why); unavailable / timeout: see reason."""

    OK = "ok"
    EMPTY = "empty"
    UNAVAILABLE = "unavailable"
    TIMEOUT = "timeout"


@dataclass(frozen=True)
class PaneResult(Generic[R, S]):
    """One pane's answer: its status, rows (dataclasses), a pane-wide summary, and how long it took.

    `summary` is None when the pane is unavailable or timed out (and may be set when it is empty, e.g. the
    cost pane's freshness). `reason` is set for every status but ok.
    """

    pane: str
    title: str
    status: PaneStatus
    rows: list[R] = field(default_factory=list)
    summary: S | None = None
    reason: str | None = None
    elapsed_ms: float = 0.0

    @property
    def ok(self) -> bool:
        return self.status is PaneStatus.OK


@dataclass(frozen=True)
class PaneOptions:
    """What a refresh may vary: the cost window, the jobs pane's grace, and per-pane statement timeouts (ms, by
    pane name; `timeout_ms` for the others)."""

    window: CostWindow = field(default_factory=CostWindow)
    cache: PaneCache | None = None  # what a long-running console keeps between refreshes (catalog, chunk sizes)
    grace: timedelta = timedelta(minutes=1)
    timeout_ms: int = DEFAULT_TIMEOUT_MS
    timeouts: Mapping[str, int] = field(default_factory=dict)

    def timeout_for(self, pane: str) -> int:
        return self.timeouts.get(pane, self.timeout_ms)


@dataclass(frozen=True)
class Pane(Generic[R, S]):
    """One pane as a unit: its name and title, `fetch` (queries -> typed result) and `view` (typed result ->
    presentation-neutral view model). The registry in console/panes/__init__.py lists them."""

    name: str
    title: str
    fetch: Callable[[Conn, ServerInfo, PaneOptions], PaneResult[R, S]]
    view: Callable[[PaneResult[R, S]], PaneView]

    def refresh(self, conn: Conn, info: ServerInfo, options: PaneOptions) -> Refreshed:
        """Fetch, then build the view (off the UI thread, where the TUI calls it)."""
        result = self.fetch(conn, info, options)
        return Refreshed(result, self.view(result))


@dataclass(frozen=True)
class Refreshed:
    """A pane's typed result (for JSON and callers that compute) and its view model (for the shells)."""

    result: PaneResult[Any, Any]
    view: PaneView


STATUS_STYLE = {PaneStatus.OK: Style.OK, PaneStatus.EMPTY: Style.DIM, PaneStatus.UNAVAILABLE: Style.WARN,
                 PaneStatus.TIMEOUT: Style.BAD}


def status_view(result: PaneResult[Any, Any], columns: tuple[Column, ...], title: str | None = None) -> PaneView:
    """The view of a pane with no rows to show (empty, unavailable, timeout): its columns and the reason."""
    message = Cell.of(result.reason or result.status.value, STATUS_STYLE[result.status])
    return PaneView(result.pane, title or result.title, result.status.value, columns, (), result.status.value,
                    message, elapsed_ms=result.elapsed_ms)


def unavailable_reason(info: ServerInfo, what: str, *, community: bool) -> str | None:
    """Why `what` cannot be shown on this server (decided from the detected edition, not by trying), or None."""
    if info.timescaledb_installed is None:
        return f"{what} needs TimescaleDB, which is not installed in database {info.database!r}"
    if not community or info.community:
        return None
    if info.edition == "apache":
        return f"{what} is unavailable on the Apache edition (it needs TimescaleDB Community)"
    return f"{what} needs TimescaleDB Community; this server runs the {info.edition} edition"


def unavailable(pane: str, title: str, reason: str) -> PaneResult[Any, Any]:
    """A pane result saying the server cannot provide the pane, and why."""
    return PaneResult(pane, title, PaneStatus.UNAVAILABLE, reason=reason)


class Unavailable(Exception):
    """Raised inside a pane body: the server cannot provide this pane (the reason is shown)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class PaneData(Generic[R, S]):
    """What a pane body returns: rows, summary, and the reason shown when there are no rows."""

    rows: list[R]
    summary: S | None
    empty_reason: str


# SQLSTATEs meaning "this server cannot provide it": feature not supported (Apache license), insufficient
# privilege, undefined table / function / object / column / schema.
_UNAVAILABLE = (
    pgerrors.FeatureNotSupported,
    pgerrors.InsufficientPrivilege,
    pgerrors.UndefinedTable,
    pgerrors.UndefinedFunction,
    pgerrors.UndefinedObject,
    pgerrors.UndefinedColumn,
    pgerrors.InvalidSchemaName,
)


def run_pane(
    conn: Conn,
    pane: str,
    title: str,
    timeout_ms: int,
    body: Callable[[Conn], PaneData[R, S]],
) -> PaneResult[R, S]:
    """Run `body` in one short transaction with statement_timeout = lock_timeout = `timeout_ms` (local to it)
    and turn what the server cannot provide into a status. `conn` must not be inside a transaction (the
    console's connections are autocommit), so the local settings end with the pane."""
    started = clock.counter()

    def done(status: PaneStatus, data: PaneData[R, S] | None = None, reason: str | None = None) -> PaneResult[R, S]:
        elapsed = clock.elapsed_ms(started)
        if data is None:
            return PaneResult(pane, title, status, reason=reason, elapsed_ms=elapsed)
        return PaneResult(pane, title, status, data.rows, data.summary, reason, elapsed)

    try:
        with conn.transaction():
            conn.execute(query("panes/settings"), {"timeout": f"{timeout_ms}ms"})
            data = body(conn)
    except Unavailable as exc:
        return done(PaneStatus.UNAVAILABLE, reason=exc.reason)
    except (pgerrors.QueryCanceled, pgerrors.LockNotAvailable) as exc:
        holders = strong_lock_holders(conn)
        if holders:  # a wait for a lock, not a slow query: say whose
            return done(PaneStatus.TIMEOUT, reason=f"{title}: could not check: waited {timeout_ms} ms for a lock: "
                                                   f"{holders}")
        what = "statement" if isinstance(exc, pgerrors.QueryCanceled) else "lock"
        return done(PaneStatus.TIMEOUT, reason=f"{title}: the query exceeded its {what} timeout of {timeout_ms} ms")
    except pgerrors.InsufficientPrivilege as exc:  # least privilege is a mode: say what to grant
        role = conn.info.user if not conn.closed else "the role"
        said = cannot_read(exc.diag.message_primary or str(exc), role, boundary.circumstances(exc).statement)
        return done(PaneStatus.UNAVAILABLE, reason=f"{title}: {said}")
    except _UNAVAILABLE as exc:
        return done(PaneStatus.UNAVAILABLE, reason=f"{title}: {_first_line(exc)}")
    if not data.rows:
        return done(PaneStatus.EMPTY, data, data.empty_reason)
    return done(PaneStatus.OK, data)


def _first_line(exc: BaseException) -> str:
    return server_words(exc) or type(exc).__name__
