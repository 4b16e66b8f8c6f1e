"""verify's live health checks on real engines: the failing built-in Apache job, aggregates never refreshed,
compression backlog, chunks past retention, chunk skew."""

from __future__ import annotations

import json
from collections.abc import Callable

from tests.conftest import CliResult, TestDb
from tests.known_data import SEED_BULK_LOGS, SEED_OLD_LOGS, SEED_TRACES, connect, wait_for_builtin_job_failure

Cli = Callable[..., CliResult]


def health(result: CliResult) -> dict[str, dict[str, str]]:
    return {c["id"]: c for c in json.loads(result.stdout)["checks"] if c["kind"] == "health"}


def test_native_reports_the_failing_builtin_job_with_its_error_and_skew(cli: Cli, native_db: TestDb) -> None:
    assert cli("migrate", "--dsn", native_db.dsn, "--to", "3").code == 0
    with connect(native_db.dsn) as conn:
        conn.execute(SEED_BULK_LOGS)
        conn.execute("INSERT INTO llm_logs (ts, trace_id, service_name, log_level, message) SELECT now() - n *"
                     " interval '1 day', 'n' || n, 'svc', 'info', 'x' FROM generate_series(1, 9) n")
        wait_for_builtin_job_failure(conn)
    result = cli("verify", "--dsn", native_db.dsn, "--json")
    assert result.code == 0, result.output  # WARNs pass unless --strict
    checks = health(result)
    jobs = checks["H01"]
    assert jobs["status"] == "WARN"
    assert "policy_job_stat_history_retention" in jobs["found"]
    assert 'not supported under the current "apache" license' in jobs["found"]
    # Issue 24: the remedy names the cause (the licence) and the edition that runs the job, not the scheduler.
    assert jobs["found"].startswith("licence refusal: job ")
    assert jobs["remedy"].startswith("a licence refusal, not a fault: job ")
    assert "runs only on the TimescaleDB Community edition" in jobs["remedy"]
    assert checks["H05"]["status"] == "WARN" and "llm_logs" in checks["H05"]["found"]
    assert checks["H02"]["status"] == checks["H03"]["status"] == "SKIP"
    assert "apache" in checks["H02"]["remedy"].lower() and "apache" in checks["H03"]["remedy"].lower()
    strict = cli("verify", "--dsn", native_db.dsn, "--json", "--strict")
    assert strict.code == 1


def test_tsl_backlog_retention_overdue_and_stale_aggregates_are_named(cli: Cli, tsl_migrated_db: TestDb) -> None:
    with connect(tsl_migrated_db.dsn) as conn:
        conn.execute("SET default_transaction_read_only = off")
        conn.execute(SEED_TRACES)
        conn.execute(SEED_OLD_LOGS)
    result = cli("verify", "--dsn", tsl_migrated_db.dsn, "--json")
    assert result.code == 0, result.output
    checks = health(result)
    # The tsl engine has no background workers: verify says its jobs are not being scheduled.
    assert checks["H01"]["status"] == "WARN"
    assert checks["H01"]["found"].startswith("jobs are not being scheduled: this engine has no background workers")
    assert checks["H02"]["status"] == "WARN" and "cost_analysis_hourly never refreshed" in checks["H02"]["found"]
    assert checks["H03"]["status"] == "WARN" and "llm_traces:" in checks["H03"]["found"]
    assert checks["H04"]["status"] == "WARN" and "llm_logs: 3 chunks past" in checks["H04"]["found"]
    for check in checks.values():
        assert check["status"] != "WARN" or check["remedy"], check


def test_tsl_overdue_job_is_reported_by_the_pane_and_verify(cli: Cli, tsl_migrated_db: TestDb) -> None:
    # The tsl engine has no scheduler: a job whose next start is an hour ago just stays overdue.
    with connect(tsl_migrated_db.dsn) as conn:
        conn.execute("SET default_transaction_read_only = off")
        job = conn.execute("SELECT job_id FROM timescaledb_information.jobs WHERE proc_name = 'policy_compression'"
                           " AND hypertable_name = 'llm_logs'").fetchone()
        assert job is not None
        conn.execute("SELECT alter_job(%s, next_start => now() - interval '1 hour')", (job[0],))
    snapshot = json.loads(cli("snapshot", "--dsn", tsl_migrated_db.dsn, "--json", "--pane", "jobs").stdout)
    rows = {row["job_id"]: row for row in snapshot["panes"]["jobs"]["rows"]}
    assert rows[job[0]]["overdue_by"] >= 3000  # seconds past next_start (beyond the grace)
    assert snapshot["panes"]["jobs"]["summary"]["overdue"] == 1
    checks = health(cli("verify", "--dsn", tsl_migrated_db.dsn, "--json"))
    assert checks["H01"]["status"] == "WARN"
    assert f"job {job[0]} " in checks["H01"]["found"] and "overdue by" in checks["H01"]["found"]
