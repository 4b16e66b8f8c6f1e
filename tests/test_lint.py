"""Lint before migrate, through `obsconsole migrate` on a tsl engine: one stable code per rule at file:line,
error-level findings refuse unless --force, the row estimate of a populated hypertable from the catalog."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import psycopg

from tests.conftest import CliResult, TestDb
from tests.test_drift import write_folder

Cli = Callable[..., CliResult]

# One statement per rule (and a few that must NOT fire); the line numbers are asserted below.
BAD_007 = """-- 007: a hand-written migration
BEGIN;
CREATE TABLE audit (id bigint, ts timestamptz NOT NULL);
SET search_path = public;
SET LOCAL lock_timeout = '1s';
CREATE MATERIALIZED VIEW IF NOT EXISTS hourly_audit WITH (timescaledb.continuous) AS
SELECT time_bucket(INTERVAL '1 hour', ts) AS bucket, count(*) AS n FROM llm_traces GROUP BY 1;
SELECT add_retention_policy('cost_by_hour', INTERVAL '30 days', if_not_exists => TRUE);
CALL refresh_continuous_aggregate('hourly_audit', NULL, NULL);
CREATE VIEW recent_ts AS SELECT extract(epoch FROM ts) AS e FROM llm_traces;
COMMIT;
"""
EXPECTED_007 = [
    ("L001", "error", 2), ("L006", "warning", 3), ("L007", "warning", 4), ("L002", "error", 6),
    ("L004", "error", 8), ("L003", "error", 9), ("L006", "warning", 10), ("L001", "error", 11),
]
INDEX_007 = """-- 007: one more index on the spans
CREATE INDEX idx_traces_environment ON llm_traces (environment, ts DESC);
"""


def _ledger_versions(dsn: str) -> list[int]:
    with psycopg.connect(dsn, prepare_threshold=None) as conn:
        return [int(str(r[0])) for r in conn.execute("SELECT version FROM _sqlx_migrations ORDER BY 1")]


def test_lint_codes_file_line_refusal_force_and_row_estimate(cli: Cli, tsl_migrated_db: TestDb, tmp_path: Path) -> None:
    with psycopg.connect(tsl_migrated_db.dsn, autocommit=True, prepare_threshold=None) as conn:
        conn.execute("INSERT INTO llm_traces (ts, trace_id, span_id, span_name, service_name, provider, model)"
                     " SELECT now() - g * INTERVAL '1 minute', md5(g::text), 's' || g, 'chat', 'svc', 'openai',"
                     " 'gpt-4o' FROM generate_series(1, 3000) g")
        conn.execute("ANALYZE llm_traces")
        row = conn.execute("SELECT approximate_row_count('llm_traces')").fetchone()
    assert row is not None and int(str(row[0])) > 0
    estimate = int(str(row[0]))

    bad = write_folder(tmp_path / "bad", {"008_hand_written.sql": BAD_007}, upto=7)
    planned = cli("migrate", "--dsn", tsl_migrated_db.dsn, "--dir", str(bad), "--dry-run", "--json", timeout=300)
    assert planned.code == 1, planned.output
    lint = json.loads(planned.stdout)["lint"]
    assert [(f["code"], f["level"], f["line"]) for f in lint] == EXPECTED_007
    assert all(f["file"] == "008_hand_written.sql" and f["blocking"] == (f["level"] == "error") for f in lint)
    assert "cost_by_hour is used here but no earlier migration creates it" in lint[4]["message"]

    refused = cli("migrate", "--dsn", tsl_migrated_db.dsn, "--dir", str(bad))
    assert refused.code == 2 and refused.stdout == ""
    assert refused.stderr.startswith("obsconsole: lint L001 at 008_hand_written.sql:2: BEGIN in a file the runner "
                                     "wraps in a transaction")
    assert "5 error-level finding(s)" in refused.stderr and len(refused.stderr.strip().splitlines()) == 1
    assert _ledger_versions(tsl_migrated_db.dsn) == [1, 2, 3, 4, 5, 6, 7]

    forced = cli("migrate", "--dsn", tsl_migrated_db.dsn, "--dir", str(bad), "--force")
    assert forced.code == 1, forced.output  # lint let it through; the server refused the WITH DATA view
    assert "008_hand_written.sql line 6" in forced.stderr and "rolled back" in forced.stderr
    assert _ledger_versions(tsl_migrated_db.dsn) == [1, 2, 3, 4, 5, 6, 7]

    index = write_folder(tmp_path / "index", {"008_environment_index.sql": INDEX_007}, upto=7)
    applied = cli("migrate", "--dsn", tsl_migrated_db.dsn, "--dir", str(index), timeout=300)
    assert applied.code == 0, applied.output  # a warning does not block
    assert (f"warning: lint L005 008_environment_index.sql:2: CREATE INDEX on hypertable llm_traces holding "
            f"~{estimate:,} rows (catalog estimate)") in applied.stderr
    assert "L006" not in applied.stderr  # authoring findings are for --dry-run and CI, not the apply log
    assert _ledger_versions(tsl_migrated_db.dsn) == [1, 2, 3, 4, 5, 6, 7, 8]
