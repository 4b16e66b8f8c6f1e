"""Jobs truth: the jobs pane and verify say when TimescaleDB's scheduler is not running for the database (no job
will run by itself), and say nothing when it runs. Native: the scheduler runs, then is stopped for real
(_timescaledb_functions.stop_background_workers); tsl: the WASM engine has no background workers."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from typing import Any

import psycopg
import pytest

from tests.conftest import CliResult, TestDb
from tests.known_data import connect

Cli = Callable[..., CliResult]


def _jobs(cli: Cli, dsn: str) -> dict[str, Any]:
    result = cli("snapshot", "--dsn", dsn, "--json", "--pane", "jobs")
    assert result.code == 0, result.output
    pane: dict[str, Any] = json.loads(result.stdout)["panes"]["jobs"]
    return pane


def _h01(cli: Cli, dsn: str) -> dict[str, str]:
    result = cli("verify", "--dsn", dsn, "--json")
    return next(c for c in json.loads(result.stdout)["checks"] if c["id"] == "H01")


@pytest.mark.native
def test_native_scheduler_running_then_stopped(cli: Cli, native_db: TestDb) -> None:
    assert cli("migrate", "--dsn", native_db.dsn, "--to", "3").code == 0
    deadline = time.monotonic() + 30  # the launcher starts a database's scheduler soon after CREATE EXTENSION
    while (pane := _jobs(cli, native_db.dsn))["summary"]["not_scheduled"] is not None:
        assert time.monotonic() < deadline, pane["summary"]
        time.sleep(0.5)
    text = cli("snapshot", "--dsn", native_db.dsn, "--pane", "jobs")
    assert "not being scheduled" not in text.stdout and "NOT SCHEDULED" not in text.stdout

    with connect(native_db.dsn) as conn:
        conn.execute("SELECT _timescaledb_functions.stop_background_workers()")
    pane = _jobs(cli, native_db.dsn)
    database = str(psycopg.conninfo.conninfo_to_dict(native_db.dsn)["dbname"])
    said = pane["summary"]["not_scheduled"]
    assert said is not None and said.startswith("jobs are not being scheduled: no scheduler for database"), said
    assert database.startswith("t") and f"database {database} " in said
    assert "timescaledb.max_background_workers=" in said
    text = cli("snapshot", "--dsn", native_db.dsn, "--pane", "jobs")
    assert "jobs are not being scheduled" in " ".join(text.stdout.split()) and "NOT SCHEDULED" in text.stdout
    h01 = _h01(cli, native_db.dsn)
    assert h01["status"] == "WARN" and h01["found"].startswith("jobs are not being scheduled"), h01


@pytest.mark.tsl
def test_tsl_has_no_scheduler_and_says_so(cli: Cli, tsl_migrated_db: TestDb) -> None:
    said = _jobs(cli, tsl_migrated_db.dsn)["summary"]["not_scheduled"]
    assert said == ("jobs are not being scheduled: this engine has no background workers (WASM). "
                    "They run only by hand (CALL run_job), and TimescaleDB does not count such runs in its job "
                    "statistics (runs made from obsconsole are counted from its audit log)"), said
