"""The one error boundary: a database, SQLAlchemy or OS error that no feature put into words becomes one line
naming the command, the object and the condition, with its remedy, and the exit code that says whether anything
was done. The CLI's `main()` and the console's workers both go through `describe`.

What a failing statement was, which role ran it and who held the lock it waited for are attached to the error
where they are known (`attach`: the console's cursor and connection do it), so the words here need no second
connection."""

from __future__ import annotations

import contextlib
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from console.infra.errors import EXIT_CANNOT_RUN, EXIT_FAILED, ConsoleError, privilege_problem, server_words

DEBUG_ENV = "OBSCONSOLE_DEBUG"  # =1: the boundary lets the traceback through as well

_ATTR = "_obsconsole_context"
_KEEP = 50
_done: list[str] = []  # what the running command has changed so far (note_done), for exit 1 and its words


@dataclass
class Circumstances:
    """What the console knew when a statement failed."""

    statement: str = ""
    role: str = ""
    holders: str | None = None
    extra: list[str] = field(default_factory=list)


def attach(exc: BaseException, *, statement: str | None = None, role: str | None = None,
           holders: str | None = None) -> None:
    """Remember the statement, the role and the lock holders with `exc` (first one known wins)."""
    known = getattr(exc, _ATTR, None)
    if not isinstance(known, Circumstances):
        known = Circumstances()
        try:
            setattr(exc, _ATTR, known)
        except AttributeError:  # an exception type without a __dict__: nothing more to say
            return
    known.statement = known.statement or (statement or "")
    known.role = known.role or (role or "")
    known.holders = known.holders or holders


def circumstances(exc: BaseException) -> Circumstances:
    known = getattr(exc, _ATTR, None)
    return known if isinstance(known, Circumstances) else Circumstances()


def quiet_driver() -> None:
    """psycopg's own warnings (after a lost connection, "error ignored terminating <psycopg.Copy>: …" and the
    libpq lines under it) reach stderr beside the boundary's one line: dropped, unless OBSCONSOLE_DEBUG=1."""
    import logging
    import os

    driver = logging.getLogger("psycopg")
    if not any(isinstance(handler, logging.NullHandler) for handler in driver.handlers):
        driver.addHandler(logging.NullHandler())
    driver.propagate = os.environ.get(DEBUG_ENV) == "1"  # `record` logs to stderr from the root logger


def note_done(what: str) -> None:
    """Record that the running command changed something (`what`, e.g. "applied 002_indexes.sql"): an error
    after it exits 1 and says so, instead of 2 (nothing was done). A long-running console keeps the last few."""
    _done.append(what)
    del _done[:-_KEEP]


def reset() -> None:
    """Forget what a previous command did (one process runs one command; tests run several)."""
    _done.clear()


def done() -> list[str]:
    return list(_done)


def handles(exc: BaseException) -> bool:
    """Whether the boundary puts `exc` into words (driver, SQLAlchemy and OS errors)."""
    import psycopg
    import sqlalchemy.exc

    return isinstance(exc, psycopg.Error | sqlalchemy.exc.SQLAlchemyError | OSError)


def describe(exc: BaseException, command: str = "", changed: Sequence[str] = ()) -> ConsoleError:
    """`exc` as one line `<command>: <condition on object>: <remedy>; <what was done>` and its exit code. `changed`
    is what the command did before it (the CLI passes `done()`; a console worker that wrote says it itself)."""
    import sqlalchemy.exc

    if isinstance(exc, sqlalchemy.exc.DBAPIError) and exc.orig is not None:
        attach(exc.orig, statement=str(exc.statement or ""))
        exc = exc.orig
    where = f"{command}: " if command else ""
    tail = (f"; done before it: {', '.join(changed)} (the rest was not done)" if changed
            else "; nothing was done")
    text = _condition(exc).replace("\n", " ")
    from console.infra import dsn as dsn_mod
    from console.infra.fmt import printable

    with contextlib.suppress(ConsoleError):
        text = dsn_mod.scrub(text, dsn_mod.resolve(None).dsn)
    return ConsoleError(printable(f"{where}{text}{tail}"), EXIT_FAILED if changed else EXIT_CANNOT_RUN)


def _condition(exc: BaseException) -> str:
    import psycopg
    from psycopg import errors as pgerrors

    if isinstance(exc, ConsoleError):  # a ConnectionLost: said already, in its own words
        return exc.message.rstrip(".")
    if isinstance(exc, OSError):
        return _os_condition(exc)
    if not isinstance(exc, psycopg.Error):
        return f"{type(exc).__name__}: {_first_line(str(exc))}"
    known = circumstances(exc)
    server = _first_line(server_words(exc))
    obj = _object(exc)
    if isinstance(exc, pgerrors.InsufficientPrivilege):
        return privilege_problem(server, known.statement, known.role)
    if isinstance(exc, pgerrors.ReadOnlySqlTransaction):
        return (f"the server refused a write{obj} in a read-only transaction (server: {server}): this is a hot "
                "standby or the database/role is read-only by default; run it on the primary, on a writable "
                "database")
    if isinstance(exc, pgerrors.LockNotAvailable) or (
            isinstance(exc, pgerrors.QueryCanceled) and "lock timeout" in server.lower()):
        holder = f": {known.holders}" if known.holders else " (its holder had gone when asked)"
        return (f"gave up waiting for a lock{obj} (server: {server}){holder}: retry when that session is done, "
                "or give it longer (--lock-timeout)")
    if isinstance(exc, pgerrors.QueryCanceled):
        if "user request" in server.lower():
            return f"the statement{obj} was cancelled by another session (server: {server}): run it again"
        return (f"a statement{obj} ran longer than its statement timeout (server: {server}): give it longer "
                "(--statement-timeout, --timeout or --check-timeout) or run it when the server is less busy")
    if _lost(exc):
        return (f"lost the connection to the server ({server}): was it stopped or restarted? Check the server, "
                "then run the command again")
    if isinstance(exc, pgerrors.UndefinedTable | pgerrors.UndefinedFunction | pgerrors.InvalidSchemaName
                  | pgerrors.UndefinedColumn | pgerrors.UndefinedObject):
        return (f"the database lacks something the command reads (server: {server}): are the migrations applied "
                "(`obsconsole status`) and TimescaleDB installed (`obsconsole doctor`)?")
    if isinstance(exc, pgerrors.FeatureNotSupported):
        return f"this server cannot do it (server: {server}): `obsconsole doctor` says what it supports"
    state = f"SQLSTATE {exc.sqlstate}, " if exc.sqlstate else ""
    return f"the server refused a statement{obj} ({state}server: {server})"


def _lost(exc: BaseException) -> bool:
    import psycopg

    if isinstance(exc, psycopg.errors.AdminShutdown | psycopg.errors.CrashShutdown
                  | psycopg.errors.ConnectionException):
        return True
    text = str(exc).lower()
    return isinstance(exc, psycopg.OperationalError | psycopg.InterfaceError) and any(
        hint in text for hint in ("server closed the connection", "terminating connection", "connection is closed",
                                  "consuming input failed", "connection is lost", "the connection is bad",
                                  "sending query failed", "no connection to the server"))


def _object(exc: BaseException) -> str:
    diag = getattr(exc, "diag", None)
    if diag is None:
        return ""
    name = diag.table_name or diag.constraint_name or diag.column_name
    if not name:
        return ""
    schema = f"{diag.schema_name}." if diag.schema_name else ""
    return f" on {schema}{name}"


def _os_condition(exc: OSError) -> str:
    what = exc.filename if exc.filename is not None else ""
    target = f" {str(what)!r}" if what != "" else ""
    reason = exc.strerror or _first_line(str(exc)) or type(exc).__name__
    remedies = {13: "check its owner and mode, or choose another path", 28: "free some space and run it again",
                30: "choose a path on a writable file system", 2: "check the path", 20: "check the path",
                21: "name a file, not a folder", 17: "remove it or choose another path"}
    remedy = remedies.get(exc.errno or 0, "check the path and the machine, then run it again")
    return f"cannot use{target}: {reason[:1].lower() + reason[1:]}: {remedy}"


def _first_line(text: str) -> str:
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    return re.sub(r"^(FATAL|ERROR):\s*", "", lines[0]) if lines else "unknown error"
