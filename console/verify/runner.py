"""Running the verify checks: one read-only connection, each check under its own statement timeout."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path

import psycopg
import sqlalchemy.exc

from console.infra import boundary, clock
from console.infra.access import LEDGER, access
from console.infra.db import Conn, Timeouts, connect, session_timeouts
from console.infra.dsn import ResolvedDsn
from console.infra.errors import privilege_problem, server_words
from console.infra.locks import strong_lock_holders
from console.infra.resources import MIGRATIONS_DIR
from console.infra.server import server_info
from console.migrator import files, ledger
from console.verify import expectations, scope
from console.verify.health_checks import HEALTH_CHECKS
from console.verify.model import CheckResult, Status, VerifyReport, longer_timeout
from console.verify.probe import Probe
from console.verify.schema_checks import SCHEMA_CHECKS, Context, summary


def verify(target: ResolvedDsn, *, directory: Path = MIGRATIONS_DIR, check_timeout_ms: int = 2_000) -> VerifyReport:
    """Connect read-only and run every check. Raises ConsoleError (exit 2) when it cannot connect."""
    with connect(target) as conn:
        return verify_on(conn, directory=directory, check_timeout_ms=check_timeout_ms)


def verify_on(conn: Conn, *, directory: Path = MIGRATIONS_DIR, check_timeout_ms: int = 2_000) -> VerifyReport:
    """Run every check on an open connection (the TUI's Verify screen calls this)."""
    started, ran_at = clock.counter(), clock.now()
    local = files.load(directory)
    expected = expectations.load(directory)
    info = server_info(conn)  # the facts every check needs, under the connection's own timeouts
    readable = access(conn)
    # Without SELECT on the ledger, every expected object is looked for; one that is missing cannot be told from a
    # pending migration's, so its check is COULD NOT CHECK naming the grant (_without_ledger), not FAIL.
    ledger_grant = None if readable.readable(LEDGER) else readable.grant_for(LEDGER)
    applied = ledger.rows(conn) if ledger_grant is None else {}
    ctx = Context(probe=Probe(conn, info), expected=expected,
                  scope=scope.build(local, set(applied) if applied else None, info), local=local)
    ctx.probe.inspector  # noqa: B018  # SQLAlchemy's first connect (dialect set-up) here: if a check's timeout
    # cancelled it, SQLAlchemy would close the console's connection under every later check
    with session_timeouts(conn, Timeouts(statement_ms=check_timeout_ms, lock_ms=check_timeout_ms)):
        results = [_timed(conn, check_id, name, lambda c=check: c(ctx), check_timeout_ms)  # type: ignore[misc]
                   for check_id, name, check in SCHEMA_CHECKS]
        results.append(summary(results))
        health = []
        if info.timescaledb_installed is not None:
            health = [_timed(conn, check_id, name, lambda c=check: c(ctx, check_timeout_ms),  # type: ignore[misc]
                             check_timeout_ms) for check_id, name, check in HEALTH_CHECKS]
    if ledger_grant is not None:
        results = [_without_ledger(result, ledger_grant) for result in results]
    return VerifyReport(schema=results, health=health, elapsed_ms=clock.elapsed_ms(started), ran_at=ran_at)


def _without_ledger(result: CheckResult, grant: str) -> CheckResult:
    if result.status is not Status.FAIL:
        return result
    return CheckResult(result.id, result.name, Status.COULD_NOT_CHECK, result.expected,
                       f"could not check: {result.found}, but the role cannot read the migration ledger to tell a "
                       "pending migration from a missing object", f"{grant} (then verify again)", result.problems,
                       result.elapsed_ms)


def _timed(conn: Conn, check_id: str, name: str, run: Callable[[], CheckResult], timeout_ms: int) -> CheckResult:
    """Run one check (the session is under `timeout_ms`); a failing or slow catalog query becomes its FAIL, a
    wait for a lock another session holds its COULD NOT CHECK."""
    started = clock.counter()
    try:
        try:
            result = run()
        except sqlalchemy.exc.DBAPIError as wrapped:  # the inspector's queries: unwrap the driver error
            if isinstance(wrapped.orig, psycopg.Error):
                boundary.attach(wrapped.orig, statement=str(wrapped.statement or ""))
                raise wrapped.orig from None
            raise
    except (psycopg.errors.QueryCanceled, psycopg.errors.LockNotAvailable):
        # Out of time says nothing about the schema: not a failure (--strict counts it).
        holders = strong_lock_holders(conn)
        if holders:
            result = CheckResult(check_id, name, Status.COULD_NOT_CHECK, "an answer",
                                 f"could not check: waited {timeout_ms} ms for a lock: {holders}",
                                 "rerun when that session is done, or give it longer: --check-timeout 30s")
        else:
            result = CheckResult(check_id, name, Status.COULD_NOT_CHECK, "an answer",
                                 f"could not check: the catalog query took longer than {timeout_ms} ms",
                                 longer_timeout(timeout_ms))
    except psycopg.errors.InsufficientPrivilege as exc:
        known = boundary.circumstances(exc)
        said = privilege_problem(exc.diag.message_primary or str(exc), known.statement, known.role or conn.info.user)
        result = CheckResult(check_id, name, Status.COULD_NOT_CHECK, "an answer", f"could not check: {said}",
                             _grant_in(said))
    except psycopg.Error as exc:
        message = server_words(exc)
        result = CheckResult(check_id, name, Status.FAIL, "an answer", f"catalog query failed: {message}",
                             "check the role's privileges on the catalog views")
    elapsed = clock.elapsed_ms(started)
    return dataclasses.replace(result, elapsed_ms=elapsed)


def _grant_in(said: str) -> str:
    """The GRANT a privilege_problem() sentence names, as the remedy; the sentence itself otherwise."""
    start = said.find("GRANT ")
    return said[start:].split(", or run as", 1)[0] if start >= 0 else said
