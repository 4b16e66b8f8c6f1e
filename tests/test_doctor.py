"""`obsconsole doctor` on both engines, and its one-line errors for bad targets."""

from __future__ import annotations

from collections.abc import Callable

import psycopg
import pytest

from console.engines.process import free_port
from console.infra.db import describe_connect_error
from console.infra.dsn import ResolvedDsn
from tests.conftest import CliResult, TestDb

Cli = Callable[..., CliResult]


def test_doctor_on_native_reports_pg15_tsdb_2_19_3_apache(cli: Cli, native_db: TestDb) -> None:
    result = cli("doctor", "--dsn", native_db.dsn)
    assert result.code == 0, result.output
    assert "PostgreSQL  15." in result.stdout
    assert "TimescaleDB 2.19.3" in result.stdout
    assert "edition     apache" in result.stdout
    assert "compression ratios" in result.stdout and "apache edition" in result.stdout


def test_doctor_on_tsl_reports_pg17_tsdb_2_23_community(cli: Cli, tsl_db: TestDb) -> None:
    result = cli("doctor", extra_env={"OBSCONSOLE_DSN": tsl_db.dsn})
    assert result.code == 0, result.output
    assert "PostgreSQL  17." in result.stdout
    assert "TimescaleDB 2.23.0-dev" in result.stdout
    assert "edition     community (timescaledb.license=timescale)" in result.stdout
    assert "(from OBSCONSOLE_DSN)" in result.stdout


def _password(dsn: str) -> str:
    return str(psycopg.conninfo.conninfo_to_dict(dsn)["password"])


def _assert_one_line_error(result: CliResult, *needles: str, secret: str) -> None:
    assert result.code == 2, result.output
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.stderr
    for needle in needles:
        assert needle in lines[0], lines[0]
    assert secret not in result.output


def test_wrong_password_is_one_line_and_never_printed(cli: Cli, native_db: TestDb) -> None:
    secret = "S3cret-Wrong-Pass"
    info = psycopg.conninfo.conninfo_to_dict(native_db.dsn)
    bad = f"postgresql://postgres:{secret}@127.0.0.1:{info['port']}/postgres"
    _assert_one_line_error(cli("doctor", "--dsn", bad), "authentication failed", secret=secret)


def test_wrong_port_is_one_line(cli: Cli) -> None:
    secret = "hunter2-port"
    dsn = f"host=127.0.0.1 port={free_port()} user=postgres password={secret} connect_timeout=3"
    _assert_one_line_error(cli("doctor", "--dsn", dsn), "cannot reach the server", "refused", secret=secret)


def test_bad_dsn_is_one_line(cli: Cli) -> None:
    secret = "pass-in-bad-dsn"
    _assert_one_line_error(
        cli("doctor", "--dsn", f"host=localhost password={secret} colour=blue"), "invalid DSN", secret=secret
    )
    _assert_one_line_error(
        cli("doctor", extra_env={"DATABASE_URL": f"postgresql://u:{secret}@127.0.0.1:notaport/db"}),
        "invalid DSN (DATABASE_URL)", secret=secret,
    )


def test_database_without_timescaledb_names_the_fix(cli: Cli, native_plain_db: TestDb) -> None:
    result = cli("doctor", "--dsn", native_plain_db.dsn)
    assert result.code == 2
    assert "TimescaleDB is not installed in database" in result.stderr
    assert "CREATE EXTENSION timescaledb" in result.stderr
    assert _password(native_plain_db.dsn) not in result.output


def test_libpq_environment_is_the_last_fallback(cli: Cli, native_db: TestDb) -> None:
    info = psycopg.conninfo.conninfo_to_dict(native_db.dsn)
    env = {"PGHOST": "127.0.0.1", "PGPORT": str(info["port"]), "PGUSER": "postgres",
           "PGPASSWORD": str(info["password"]), "PGDATABASE": str(info["dbname"])}
    result = cli("doctor", extra_env=env)
    assert result.code == 0, result.output
    assert "libpq environment" in result.stdout
    assert str(info["password"]) not in result.output


def test_console_sessions_leave_no_settings_behind_on_tsl(cli: Cli, tsl_db: TestDb) -> None:
    # The tsl engine is one backend shared by successive connections: read-only mode and our timeouts must not
    # leak into the next client's session.
    assert cli("doctor", "--dsn", tsl_db.dsn).code == 0
    with psycopg.connect(tsl_db.dsn, prepare_threshold=None) as conn:
        settings = conn.execute(
            "SELECT current_setting('default_transaction_read_only'), current_setting('statement_timeout')"
        ).fetchone()
    assert settings == ("off", "0")


@pytest.mark.parametrize("socket_error", ["Connection refused", "Resource temporarily unavailable"])
def test_a_failed_socket_connect_names_the_socket_error_not_libpqs_hint(socket_error: str) -> None:
    # libpq's text when connect() fails; the second arises while a restarting server's listen queue is full.
    raw = (f'connection failed: connection to server at "127.0.0.1", port 5999 failed: {socket_error}\n'
           "\tIs the server running on that host and accepting TCP/IP connections?")
    line = describe_connect_error(psycopg.OperationalError(raw), ResolvedDsn("host=127.0.0.1 port=5999", "--dsn"))
    assert line == (f"cannot reach the server at 127.0.0.1:5999: {socket_error.lower()} "
                    "(is it running, right host and port?)")
