"""Every action goes through here, from the CLI or the TUI: refused in read-only mode, planned on a read-only
session, run under the plan's timeouts in its own read-write transaction (or autocommit), and audited whatever
happens: the intent before it runs (an intent that cannot be written stops it: nothing is run), then the outcome
(done, failed, interrupted, refused, cancelled, dry run)."""

from __future__ import annotations

import contextlib
import time
from dataclasses import replace

import psycopg

from console.actions import audit
from console.actions.plan import Plan, Request
from console.infra.db import Conn, outside_transaction, session_timeouts, writable
from console.infra.dsn import ResolvedDsn
from console.infra.errors import EXIT_FAILED, ConsoleError, server_words
from console.infra.locks import holders_of, strong_lock_holders
from console.infra.server import ServerInfo
from console.infra.write_gate import READ_ONLY_REASON, lacking, reasons, refuse
from console.infra.write_gate import refuse_read_only as refuse_read_only_mode

EXIT_INTERRUPTED = 130  # as the CLI exits on Ctrl+C


def refuse_read_only(target: ResolvedDsn, request: Request) -> ConsoleError:
    """Audit the refusal and return the error to raise (exit 2); nothing was connected to."""
    with contextlib.suppress(audit.AuditUnwritable):  # nothing runs either way
        audit.record(target, request.action, f"refused: {READ_ONLY_REASON}")
    return ConsoleError(f"{request.action} refused: {READ_ONLY_REASON}")


def prepare(conn: Conn, info: ServerInfo, target: ResolvedDsn, request: Request) -> Plan:
    """The plan, read on `conn` (read-only), once the write gate lets it through; a refusal (the gate's reasons,
    all of them; an unknown target; bad input) is audited. What the request requires whatever its plan (its
    `requires`, e.g. the Community edition) is asked before the plan is read, and what the plan needs (owning a
    relation, altering a job) after: the refusal gives both, as the gate found them."""
    try:
        audit.check_writable()
        writes = getattr(request, "writes", True)  # a backend signal writes nothing: allowed on a standby too
        if writes:
            refuse_read_only_mode(request.action)
        why = reasons(conn, getattr(request, "requires", ())) if writes else []
        try:
            plan = replace(request.plan(conn, info), server_id=info.server_id)
        except (ConsoleError, psycopg.Error):
            refuse(request.action, why)  # the gate's reasons first: what the plan could not read follows from them
            raise
        if writes and plan.statements:
            why += lacking(conn, plan.needs)
        refuse(request.action, why)
        return plan
    except audit.AuditUnwritable:
        raise
    except ConsoleError as exc:
        with contextlib.suppress(audit.AuditUnwritable):
            audit.record(target, request.action, f"refused: {exc.message}")
        raise
    except psycopg.Error as exc:
        if conn.broken:
            raise  # the connection's own handling says the server went away
        reason = _reason(exc)
        if isinstance(exc, psycopg.errors.LockNotAvailable):
            reason += f" ({strong_lock_holders(conn) or 'the holder has gone'})"
        with contextlib.suppress(audit.AuditUnwritable):
            audit.record(target, request.action, f"refused: could not read what it touches: {reason}")
        raise ConsoleError(f"{request.action}: could not read what it touches: {reason}") from None


def not_run(target: ResolvedDsn, plan: Plan, outcome: str) -> None:
    """Audit a plan that was shown but not run ("dry run", "cancelled", "refused: …")."""
    audit.record(target, plan.action, outcome, sql=plan.sql, touches=plan.touches, server_id=plan.server_id)


def execute(conn: Conn, target: ResolvedDsn, plan: Plan) -> str:
    """Run `plan` on `conn` (an autocommit session, read-only by default), audited before (the intent: when it
    cannot be written, nothing runs, exit 2) and after (the outcome), and return the result in one line.
    ConsoleError (exit 1) with the server's reason when a statement fails, or when the outcome of a finished
    action cannot be written; exit 130 on Ctrl+C ("interrupted" in the log). Nothing is left half-done in a
    transaction."""
    if not plan.statements:
        message = f"{plan.action}: {plan.nothing}" + (f" ({plan.notes[0]})" if plan.notes else "")
        audit.record(target, plan.action, plan.nothing, touches=plan.touches, server_id=plan.server_id)
        return message
    audit.record(target, plan.action, audit.INTENT, sql=plan.sql, touches=plan.touches, server_id=plan.server_id)
    started = time.perf_counter()
    try:
        answer = _run(conn, plan)
    except KeyboardInterrupt:
        elapsed = time.perf_counter() - started
        undone = "rolled back, nothing changed" if not plan.autocommit else \
            "the running statement was cancelled; statements before it stay"
        _outcome(target, plan, f"interrupted (Ctrl+C): {undone}", elapsed)
        raise ConsoleError(f"{plan.action} interrupted after {elapsed:.2f} s: {undone}", EXIT_INTERRUPTED) from None
    except psycopg.Error as exc:
        elapsed = time.perf_counter() - started
        reason = _reason(exc)
        if isinstance(exc, psycopg.errors.LockNotAvailable) and not conn.broken:
            holders = holders_of(conn, plan.sql)
            reason += f" after waiting {plan.timeouts.lock_ms} ms for a lock" + (f": {holders}" if holders else "")
        if not plan.autocommit:
            reason += "; rolled back, nothing changed"
        _outcome(target, plan, f"failed: {reason}", elapsed)
        raise ConsoleError(f"{plan.action} failed after {elapsed:.2f} s: {reason}", EXIT_FAILED) from None
    elapsed = time.perf_counter() - started
    if plan.expect_true and answer is not True:
        _outcome(target, plan, "failed: the server answered false", elapsed)
        raise ConsoleError(f"{plan.action} failed: the server answered false (the backend is gone, or this role "
                           "may not signal it)", EXIT_FAILED)
    _outcome(target, plan, "done", elapsed)
    count = len(plan.statements)
    statements = f"{count} statements" if count > 1 else "1 statement"
    return f"{plan.action}: done in {elapsed:.2f} s ({statements})"


def _outcome(target: ResolvedDsn, plan: Plan, outcome: str, elapsed: float) -> None:
    """The entry after the action; when it cannot be written the action has already happened: said (exit 1)."""
    try:
        audit.record(target, plan.action, outcome, sql=plan.sql, touches=plan.touches, duration_ms=elapsed * 1000,
                     server_id=plan.server_id)
    except audit.AuditUnwritable as exc:
        raise ConsoleError(f"{plan.action} ran ({outcome}) but its outcome is not in the audit log, whose intent "
                           f"line it has: {exc.message}", EXIT_FAILED) from None


def _reason(exc: psycopg.Error) -> str:
    """The server's one-line reason."""
    return server_words(exc) or type(exc).__name__


def _run(conn: Conn, plan: Plan) -> object:
    """The plan's statements under its timeouts, writes allowed for them only: in one transaction, or one by one
    outside any (CALL run_job, a refresh: PostgreSQL refuses them in a transaction block)."""
    answer: object = None
    with session_timeouts(conn, plan.timeouts), writable(conn):
        if plan.autocommit:
            with outside_transaction(conn):
                for text in plan.statements:
                    answer = _answer(conn.execute(text))
        else:
            with conn.transaction():
                for text in plan.statements:
                    answer = _answer(conn.execute(text))
    return answer


def _answer(cur: psycopg.Cursor[tuple[object, ...]]) -> object:
    if cur.description is None:
        return None
    row = cur.fetchone()
    return row[0] if row else None


