"""The one error boundary (issue 21, point 1): errors the real engine raises — a read-only transaction, a lock
timeout with its holder, a statement timeout, a lost connection, a refused privilege, through psycopg and through
SQLAlchemy — and an OS error each become their own one line, with the command, the object, the remedy and the exit
code that says whether anything was done. The CLI's path is shown end to end as well."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import psycopg
import pytest
import sqlalchemy

from console.infra import boundary
from console.infra.db import Timeouts, connect
from console.infra.dsn import ResolvedDsn
from console.infra.errors import EXIT_CANNOT_RUN, EXIT_FAILED, ConnectionLost, ConsoleError
from console.infra.resources import MIGRATIONS_DIR
from tests.conftest import CliResult, TestDb
from tests.test_production import one_line

Cli = Callable[..., CliResult]


def _raised(action: Callable[[], object]) -> BaseException:
    try:
        action()
    except BaseException as exc:  # the error the engine raised, whatever it is
        return exc
    raise AssertionError("nothing was raised")


@pytest.fixture
def table_db(native_db: TestDb) -> TestDb:
    with psycopg.connect(native_db.dsn, autocommit=True) as conn:
        conn.execute("CREATE TABLE llm_traces (ts timestamptz NOT NULL, id int)")
    return native_db


def test_a_read_only_transaction_has_its_own_words(table_db: TestDb) -> None:
    def write() -> None:
        with connect(ResolvedDsn(table_db.dsn, "test")) as conn:  # read-only: BEGIN READ ONLY
            conn.execute("INSERT INTO llm_traces VALUES (now(), 1)")

    failure = boundary.describe(_raised(write), "keys create")
    assert failure.exit_code == EXIT_CANNOT_RUN
    assert failure.message.startswith("keys create: the server refused a write in a read-only transaction"), failure
    assert "hot standby" in failure.message and failure.message.endswith("; nothing was done")


def test_a_lock_timeout_names_the_holder(table_db: TestDb) -> None:
    with psycopg.connect(table_db.dsn, application_name="nightly-etl") as holder:
        holder.execute("LOCK TABLE llm_traces IN ACCESS EXCLUSIVE MODE")

        def wait() -> None:
            with connect(ResolvedDsn(table_db.dsn, "test"), timeouts=Timeouts(5_000, 100)) as conn:
                conn.execute("SELECT count(*) FROM llm_traces")

        failure = boundary.describe(_raised(wait), "snapshot")
        holder.rollback()
    assert failure.exit_code == EXIT_CANNOT_RUN
    assert failure.message.startswith("snapshot: gave up waiting for a lock (server: canceling statement due to "
                                      "lock timeout): pid "), failure
    assert "(nightly-etl) holds AccessExclusiveLock on llm_traces" in failure.message
    assert "--lock-timeout" in failure.message


def test_a_statement_timeout_has_its_own_words(native_db: TestDb) -> None:
    def slow() -> None:
        with connect(ResolvedDsn(native_db.dsn, "test"), timeouts=Timeouts(50, 50)) as conn:
            conn.execute("SELECT pg_sleep(2)")

    failure = boundary.describe(_raised(slow), "verify")
    assert failure.message.startswith("verify: a statement ran longer than its statement timeout (server: "
                                      "canceling statement due to statement timeout)"), failure
    assert "--statement-timeout" in failure.message


def test_a_lost_connection_has_its_own_words(native_db: TestDb) -> None:
    conn = psycopg.connect(native_db.dsn, autocommit=True)
    with psycopg.connect(native_db.dsn, autocommit=True) as admin:
        admin.execute("SELECT pg_terminate_backend(%s)", (conn.info.backend_pid,))
    failure = boundary.describe(_raised(lambda: conn.execute("SELECT 1")), "status")
    conn.close()
    assert failure.message.startswith("status: lost the connection to the server"), failure
    assert "run the command again" in failure.message


def test_a_connection_lost_under_the_console_connection_gets_the_command_and_what_was_done(native_db: TestDb) -> None:
    def cut() -> None:
        with connect(ResolvedDsn(native_db.dsn, "test")) as conn, \
                psycopg.connect(native_db.dsn, autocommit=True) as admin:
            admin.execute("SELECT pg_terminate_backend(%s)", (conn.info.backend_pid,))
            conn.execute("SELECT 1")

    error = _raised(cut)
    assert isinstance(error, ConnectionLost)
    failure = boundary.describe(error, "migrate", ["applied 001_initial_schema.sql"])
    assert failure.exit_code == EXIT_FAILED
    assert failure.message == ("migrate: lost the connection to the server (terminating connection due to "
                               "administrator command): was it stopped or restarted? Run the command again; done "
                               "before it: applied 001_initial_schema.sql (the rest was not done)")


def test_a_refused_privilege_through_sqlalchemy_names_the_grant(native_db: TestDb) -> None:
    with psycopg.connect(native_db.dsn, autocommit=True) as admin:
        admin.execute("CREATE TABLE secrets_kept (id int)")
        admin.execute("DROP ROLE IF EXISTS eb_reader")
        admin.execute("CREATE ROLE eb_reader")
    engine = sqlalchemy.create_engine("postgresql+psycopg://", creator=lambda: psycopg.connect(native_db.dsn))
    try:
        def read() -> None:
            with engine.connect() as conn:
                conn.execute(sqlalchemy.text("SET ROLE eb_reader"))
                conn.execute(sqlalchemy.text("SELECT * FROM secrets_kept"))

        error = _raised(read)
        assert isinstance(error, sqlalchemy.exc.DBAPIError)
        failure = boundary.describe(error, "verify")
    finally:
        engine.dispose()
        with psycopg.connect(native_db.dsn, autocommit=True) as admin:
            admin.execute("DROP ROLE eb_reader")
    assert failure.message.startswith("verify: the connected role lacks the SELECT privilege on table "
                                      "secrets_kept"), failure
    assert "GRANT SELECT ON TABLE secrets_kept TO <role>" in failure.message


def test_an_os_error_names_the_path_and_what_was_done_before_it(tmp_path: Path) -> None:
    missing = tmp_path / "no-such-folder" / "report.xml"
    error = _raised(lambda: missing.write_text("x"))
    failure = boundary.describe(error, "verify", ["applied 001_initial_schema.sql"])
    assert failure.exit_code == EXIT_FAILED
    assert failure.message == (f"verify: cannot use {str(missing)!r}: no such file or directory: check the path; "
                               "done before it: applied 001_initial_schema.sql (the rest was not done)")


def test_the_cli_boundary_names_the_command(cli: Cli, native_db: TestDb, tmp_path: Path) -> None:
    """A read no feature words itself (`keys list` behind a held lock) reaches the CLI's boundary: one line with the
    command, the condition, the holder and exit 2."""
    for path in MIGRATIONS_DIR.glob("00[1236]_*.sql"):  # what the Apache edition runs: 006 holds api_keys
        shutil.copy(path, tmp_path / path.name)
    migrated = cli("migrate", "--dir", str(tmp_path), "--dsn", native_db.dsn)
    assert migrated.code == 0, migrated.output
    with psycopg.connect(native_db.dsn) as holder:
        holder.execute("SET application_name = 'nightly-etl'")
        holder.execute("LOCK TABLE api_keys IN ACCESS EXCLUSIVE MODE")
        result = cli("keys", "list", "--dsn", native_db.dsn)
    one_line(result, 2, "obsconsole: keys list: ", "nightly-etl", "nothing was done")


def test_describe_only_takes_what_the_boundary_handles() -> None:
    assert boundary.handles(OSError(28, "No space left on device"))
    assert not boundary.handles(ValueError("a bug")) and not boundary.handles(ConsoleError("said already"))
