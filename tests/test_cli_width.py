"""CLI output at 80 columns and piped (no terminal), as an engineer reads it or greps it: object names, models
and figures never cut, lower-priority columns left out with a line saying which, every non-PASS verify finding
in full."""

from __future__ import annotations

from collections.abc import Callable

import psycopg
import pytest

from tests.conftest import CliResult, TestDb

Cli = Callable[..., CliResult]
NAMES = ("llm_traces", "llm_metrics", "llm_logs", "llm_metrics_1min (cagg)", "llm_metrics_1hour (cagg)",
         "llm_metrics_1day (cagg)", "cost_analysis_hourly (cagg)")
DESCRIPTIONS = ("initial schema", "add hypertables", "create indexes", "continuous aggregates",
                "retention policies", "supporting tables")


def _lines(text: str) -> list[str]:
    return [line.rstrip() for line in text.splitlines()]


@pytest.mark.tsl
@pytest.mark.parametrize("columns", ["80", ""], ids=["COLUMNS=80", "piped-default-width"])
def test_verify_status_snapshot_readable_at_80_columns(cli: Cli, tsl_migrated_db: TestDb, columns: str) -> None:
    env = {"COLUMNS": columns}
    with psycopg.connect(tsl_migrated_db.dsn, autocommit=True, prepare_threshold=None) as conn:
        conn.execute("SET default_transaction_read_only = off")
        conn.execute("DROP INDEX idx_traces_cost_analysis")

    verify = cli("verify", "--dsn", tsl_migrated_db.dsn, extra_env=env)
    assert verify.code == 1, verify.output
    lines = _lines(verify.stdout)
    assert "…" not in verify.stdout and all(len(line) <= 80 for line in lines), verify.stdout
    # The finding, whole on one line, and a remedy naming the real statement and where it comes from.
    assert "  found:    index idx_traces_cost_analysis on llm_traces missing" in lines
    remedy = " ".join(verify.stdout.split("S05 FAIL", 1)[1].split())
    assert "remedy: run CREATE INDEX IF NOT EXISTS idx_traces_cost_analysis ON llm_traces" in remedy
    assert "(003_create_indexes.sql:" in remedy
    assert "S14 FAIL Validation summary" in lines and "found: 12 PASS, 1 FAIL" in " ".join(verify.stdout.split())
    assert any(line.split()[:2] == ["S05", "FAIL"] and "All 20 indexes created" in line for line in lines)

    status = cli("status", "--dsn", tsl_migrated_db.dsn, extra_env=env)
    assert status.code == 0, status.output
    lines = _lines(status.stdout)
    assert "…" not in status.stdout and all(len(line) <= 80 for line in lines), status.stdout
    for version, description in enumerate(DESCRIPTIONS, start=1):
        row = next(line for line in lines if line.startswith(f"{version:03d} "))
        assert description in row and "applied" in row and " ok " in f"{row} " and "UTC" in row, row

    snapshot = cli("snapshot", "--dsn", tsl_migrated_db.dsn, extra_env=env)
    assert snapshot.code == 0, snapshot.output
    lines = _lines(snapshot.stdout)
    assert "…" not in snapshot.stdout and all(len(line) <= 80 for line in lines), snapshot.stdout
    chunk_rows = snapshot.stdout.split("Chunk sizes", 1)[1].split("Compression ratios", 1)[0]
    for name in NAMES:  # each name whole at the start of its row, with its chunk count
        assert any(line.startswith(name + "  ") and line[len(name):].split()[0] == "0"
                   for line in _lines(chunk_rows)), (name, chunk_rows)
    assert "column(s) left out at 80 columns:" in snapshot.stdout and "(--wide shows them)" in snapshot.stdout
    for header in ("hypertable", "chunks", "total", "compressed", "ratio", "backlog", "target", "status",
                   "last run", "next start", "policy", "next drop", "overdue"):
        assert f" {header} " in f" {snapshot.stdout} ".replace("\n", " "), header
    jobs = snapshot.stdout.split("Background jobs", 1)[1].split("Retention windows", 1)[0]
    assert sum(1 for line in _lines(jobs) if line.strip()[:4].strip().isdigit()) == 15

    wide = cli("snapshot", "--dsn", tsl_migrated_db.dsn, "--wide", extra_env=env)
    assert wide.code == 0 and "left out" not in wide.stdout
    assert all(h in wide.stdout for h in ("toast", "timeline", "last success", "oldest backlog"))


@pytest.mark.tsl
def test_plans_audit_and_lists_fold_within_80_columns(cli: Cli, tsl_migrated_db: TestDb) -> None:
    """Every command that prints a table, a list or a plan stays within COLUMNS when piped: long lines are folded
    between words (SQL between its tokens, never inside a literal), names whole; the folded SQL is the statement."""
    env = {"COLUMNS": "80"}
    dsn = tsl_migrated_db.dsn
    seeded = cli("seed", "--dsn", dsn, "--days", "3", "--rate", "10", "--no-aftercare")
    assert seeded.code == 0, seeded.output
    assert cli("keys", "create", "--dsn", dsn, "--email", "width@example.com", "--name", "width check").code == 0
    runs = {" ".join(args): cli(*args, "--dsn", dsn, extra_env=env) for args in (
        ("job", "pause", "1000", "--dry-run"), ("job", "run", "1000", "--dry-run"),
        ("cagg", "refresh", "llm_metrics_1hour", "--dry-run"),
        ("chunk", "compress", "--table", "llm_traces", "--older-than", "1d", "--dry-run"),
        ("chunk", "drop", "--table", "llm_traces", "--older-than", "1d", "--dry-run"),
        ("policy", "retention", "llm_traces", "--after", "30d", "--dry-run"),
        ("policy", "compression", "llm_traces", "--after", "7d", "--dry-run"),
        ("audit",), ("keys", "list"), ("prices", "list"), ("doctor",), ("prices", "sync", "--dry-run"))}
    for name, run in runs.items():
        assert run.code == 0, (name, run.output)
        # Only a word longer than a line (a path) runs on, whole, on a line of its own.
        assert all(len(line) <= 80 or " " not in line.strip() for line in _lines(run.stdout)), (name, run.stdout)
    drop = _lines(runs["chunk drop --table llm_traces --older-than 1d --dry-run"].stdout)
    chunk_lines = [line for line in drop if line.startswith("  _timescaledb_internal._hyper_")]
    assert len(chunk_lines) >= 2 and all(" of public.llm_traces: " in line for line in chunk_lines), drop
    # The folded retention change, run as printed (then rolled back), is the plan's statements.
    plan = runs["policy retention llm_traces --after 30d --dry-run"].stdout
    sql = plan.split("\nSQL:\n", 1)[1].split("\nnote:", 1)[0]
    assert len(sql.splitlines()) > 2 and "'30 days'::interval" in sql, plan
    with psycopg.connect(dsn, prepare_threshold=None) as conn:
        conn.execute("SET TRANSACTION READ WRITE")
        conn.execute(sql)
        row = conn.execute("SELECT config->>'drop_after' FROM timescaledb_information.jobs "
                           "WHERE proc_name = 'policy_retention' AND hypertable_name = 'llm_traces'").fetchone()
        assert row == ("30 days",)
        conn.rollback()
    audit = _lines(runs["audit"].stdout)
    assert "    job pause 1000  dry run: nothing changed" in audit, audit
    assert any(line.startswith("    SELECT alter_job(1000") for line in audit), audit
    assert any(line.startswith("width@example.com") or "width check" in line
               for line in _lines(runs["keys list"].stdout)), runs["keys list"].stdout
