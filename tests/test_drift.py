"""`verify --drift` and `migrate --dry-run` rehearsal on databases built the way other tools build them: folders
the tests write, applied with the real `psql -f` (statement by statement, autocommit), then changed by hand.
Each target is a tsl engine; the command starts its own scratch tsl engine to replay into."""

from __future__ import annotations

import asyncio
import hashlib
import json
import os
import shutil
import subprocess
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path

import psycopg
import pytest
from textual.widgets import DataTable, Static

from console.drift.view import COLUMNS
from console.infra.dsn import ResolvedDsn
from console.infra.resources import MIGRATIONS_DIR
from console.infra.session import Session
from console.tui.app import ObsConsoleApp
from tests.conftest import IN_CI, CliResult, TestDb, record_output
from tests.tui_helpers import screen_lines, wait_for, width_is, words_whole

Cli = Callable[..., CliResult]
SHIPPED = sorted(MIGRATIONS_DIR.glob("*.sql"))

# 007: an extra table with an index, as a later release of the migrations adds it.
EXTRA_007 = """-- 007: request tags per project
CREATE TABLE IF NOT EXISTS request_tags (
    ts      TIMESTAMPTZ NOT NULL,
    project TEXT        NOT NULL,
    tag     TEXT        NOT NULL DEFAULT 'none'
);
CREATE INDEX IF NOT EXISTS idx_request_tags_project ON request_tags (project, ts DESC);
"""
# A file with its own transaction (a failure inside it rolls the whole block back under psql), then a statement
# after its COMMIT, and a retention policy on a view no migration creates.
OWN_TRANSACTION_008 = """-- 008: hand-written, its own BEGIN/COMMIT
BEGIN;
CREATE TABLE IF NOT EXISTS tx_first (id int);
SELECT 1 / 0;
CREATE TABLE IF NOT EXISTS tx_second (id int);
COMMIT;
CREATE TABLE IF NOT EXISTS after_commit (id int);
SELECT add_retention_policy('cost_by_hour', INTERVAL '30 days', if_not_exists => TRUE);
"""


def write_folder(tmp_path: Path, extra: dict[str, str] | None = None, upto: int = 6) -> Path:
    folder = tmp_path / "migrations"
    folder.mkdir(parents=True)
    for path in SHIPPED:
        if int(path.name.split("_")[0]) <= upto:
            shutil.copy(path, folder / path.name)
    for name, text in (extra or {}).items():
        (folder / name).write_text(text)
    return folder


def psql_apply(dsn: str, folder: Path, versions: set[int] | None = None) -> None:
    """Apply the files of `folder` (all, or those of `versions`) with the real psql, one `psql -f` per file."""
    psql = shutil.which("psql")
    if psql is None:
        if IN_CI:
            pytest.fail("psql missing in CI")
        pytest.skip("psql is not installed")
    env = {**os.environ, "PGOPTIONS": "-c client_min_messages=error"}
    for path in sorted(folder.glob("*.sql")):
        if versions is None or int(path.name.split("_")[0]) in versions:
            args = [psql, "-X", "-q", "-d", dsn, "-f", str(path)]
            proc = subprocess.run(args, capture_output=True, text=True, env=env, timeout=120)
            record_output(["psql", "-f", path.name], proc.stdout, proc.stderr)


def execute(dsn: str, *statements: str) -> None:
    with psycopg.connect(dsn, autocommit=True, prepare_threshold=None) as conn:
        for statement in statements:
            conn.execute(statement)


def drift_of(result: CliResult) -> dict[str, object]:
    data = json.loads(result.stdout)
    drift = data["drift"]
    assert isinstance(drift, dict)
    return drift


def differences(drift: dict[str, object]) -> dict[tuple[str, str, str], dict[str, str]]:
    rows = drift["differences"]
    assert isinstance(rows, list)
    return {(d["kind"], d["section"], d["name"]): d for d in rows}


def test_drift_by_replay_finds_hand_changes_both_ways_with_the_creating_file(
    cli: Cli, tsl_db: TestDb, tmp_path: Path
) -> None:
    folder = write_folder(tmp_path, {"007_request_tags.sql": EXTRA_007})
    psql_apply(tsl_db.dsn, folder)
    clean = cli("verify", "--dsn", tsl_db.dsn, "--drift", "--dir", str(folder), "--json", timeout=300)
    drift = drift_of(clean)
    assert drift["source"] == "folder" and len(drift["replayed"]) == 7  # type: ignore[arg-type]
    assert drift["differences"] == [] and drift["drifted"] is False and drift["failures"] == [], clean.stdout

    execute(tsl_db.dsn,
            "ALTER INDEX idx_traces_model RENAME TO idx_traces_model_by_hand",
            "SELECT remove_retention_policy('llm_logs')",
            "ALTER TABLE users ADD COLUMN nickname text",
            "ALTER TABLE llm_traces ALTER COLUMN span_kind SET DEFAULT 'server'",
            "COMMENT ON TABLE model_pricing IS 'edited by hand'",
            "DROP INDEX idx_request_tags_project")
    junit = tmp_path / "verify.xml"
    result = cli("verify", "--dsn", tsl_db.dsn, "--drift", "--dir", str(folder), "--to", "6", "--json",
                 "--junit", str(junit), timeout=300)
    assert result.code == 1, result.output
    assert drift_of(result)["drifted"] is True
    found = differences(drift_of(result))
    assert found[("renamed", "index", "idx_traces_model")]["detail"] == \
        "exists as idx_traces_model_by_hand (same definition)"
    assert found[("renamed", "index", "idx_traces_model")]["file"] == "003_create_indexes.sql"
    assert found[("missing", "job", "policy_retention on llm_logs")]["file"] == "005_retention_policies.sql"
    assert found[("extra", "column", "users.nickname")]["file"] == ""
    default = found[("changed", "column", "llm_traces.span_kind")]
    assert default["file"] == "001_initial_schema.sql"
    assert "default: migrations \"'client'::text\", database \"'server'::text\"" in default["detail"]
    comment = found[("changed", "relation", "model_pricing")]
    assert comment["file"] == "006_supporting_tables.sql" and "edited by hand" in comment["detail"]
    # --to 6: 007 was not replayed, so its table is extra (one row, its columns with it), and the detail names
    # the file that creates it.
    tags = found[("extra", "relation", "request_tags")]
    assert "007_request_tags.sql (not replayed) names it" in tags["detail"]
    assert tags["detail"].endswith("(with its 3 columns)"), tags
    assert len(found) == 6, found
    cases = ET.parse(junit).getroot()
    drift_cases = [c for c in cases if c.get("classname", "").startswith("obsconsole.verify.drift")]
    assert len(drift_cases) == 6 and all(c.find("failure") is not None for c in drift_cases)
    assert {c.get("name") for c in drift_cases} >= {"renamed idx_traces_model", "missing policy_retention on llm_logs"}

    table = cli("verify", "--dsn", tsl_db.dsn, "--drift", "--dir", str(folder), "--to", "6", timeout=300)
    assert table.code == 1
    assert "DRIFT: 1 missing, 2 extra, 2 changed, 1 renamed, 0 unsettled" in table.stdout, table.stdout
    assert "obsconsole verify" in table.stdout  # the 14 checks are still there, drift is an extra section


def test_drift_replays_what_the_ledger_lists_and_names_an_unapplied_007(
    cli: Cli, tsl_db: TestDb, tmp_path: Path
) -> None:
    assert cli("migrate", "--dsn", tsl_db.dsn, "--to", "3").code == 0
    folder = write_folder(tmp_path, {"007_request_tags.sql": EXTRA_007})
    psql_apply(tsl_db.dsn, folder, versions={7})  # by hand, outside the ledger
    result = cli("verify", "--dsn", tsl_db.dsn, "--drift", "--dir", str(folder), "--json", timeout=300)
    drift = drift_of(result)
    assert drift["source"] == "ledger"
    assert drift["replayed"] == ["001_initial_schema.sql", "002_add_hypertables.sql", "003_create_indexes.sql"]
    found = differences(drift)
    tags = found[("extra", "relation", "request_tags")]["detail"]
    assert "007_request_tags.sql (not replayed) names it" in tags and tags.endswith("(with its 3 columns, 1 index)")
    assert list(found) == [("extra", "relation", "request_tags")], found
    assert result.code == 1


def test_replay_is_psql_own_transactions_failures_and_a_policy_on_a_missing_view(
    cli: Cli, tsl_db: TestDb, tmp_path: Path
) -> None:
    folder = write_folder(tmp_path, {"008_own_transaction.sql": OWN_TRANSACTION_008})
    psql_apply(tsl_db.dsn, folder)
    result = cli("verify", "--dsn", tsl_db.dsn, "--drift", "--dir", str(folder), "--json", timeout=300)
    drift = drift_of(result)
    # The replay did what psql did: the block rolled back whole, the statement after COMMIT applied: no drift.
    assert drift["differences"] == [], drift["differences"]
    failures = [(f["file"], f["line"], f["message"]) for f in drift["failures"]]  # type: ignore[attr-defined]
    assert failures[0] == ("008_own_transaction.sql", 4, "division by zero")
    assert failures[1][:2] == ("008_own_transaction.sql", 5) and "current transaction is aborted" in failures[1][2]
    assert failures[2][:2] == ("008_own_transaction.sql", 8) and "cost_by_hour" in failures[2][2]
    assert len(failures) == 3
    with psycopg.connect(tsl_db.dsn, prepare_threshold=None) as conn:
        made = conn.execute("SELECT to_regclass('tx_first'), to_regclass('after_commit')").fetchone()
    assert made is not None and made[0] is None and made[1] is not None
    table = cli("verify", "--dsn", tsl_db.dsn, "--drift", "--dir", str(folder), timeout=300)
    assert "replay: 008_own_transaction.sql line 4 (SELECT 1 / 0;) failed: division by zero" in table.stdout
    assert "no drift: 0 missing" in table.stdout


def test_drift_refusals_are_one_line(cli: Cli, tsl_db: TestDb, tmp_path: Path) -> None:
    to_alone = cli("verify", "--dsn", tsl_db.dsn, "--to", "3")
    assert to_alone.code == 2 and to_alone.stderr.startswith("obsconsole: --to only applies with --drift")
    unknown = cli("verify", "--dsn", tsl_db.dsn, "--drift", "--to", "42")
    assert unknown.code == 2 and "--to 42: no migration" in unknown.stderr and "Traceback" not in unknown.output


# --- rehearsal -----------------------------------------------------------------------------------------------

WITH_DATA_007 = """-- 007: an hourly view, created the quick way
CREATE MATERIALIZED VIEW IF NOT EXISTS errors_hourly
WITH (timescaledb.continuous) AS
SELECT time_bucket(INTERVAL '1 hour', ts) AS bucket, count(*) AS errors
FROM llm_traces
GROUP BY 1;
"""


def test_rehearsal_reports_the_failing_statement_before_the_database_is_touched(
    cli: Cli, tsl_migrated_db: TestDb, tmp_path: Path
) -> None:
    folder = write_folder(tmp_path, {"008_errors_hourly.sql": WITH_DATA_007}, upto=7)
    before = hashlib.sha256(json.dumps(sorted(map(str, _ledger(tsl_migrated_db.dsn)))).encode()).hexdigest()
    result = cli("migrate", "--dsn", tsl_migrated_db.dsn, "--dir", str(folder), "--dry-run", "--json", timeout=300)
    assert result.code == 1, result.output
    data = json.loads(result.stdout)
    rehearsal = data["rehearsal"]
    assert rehearsal["engine"].startswith("PostgreSQL 17") and rehearsal["would_apply"] == []
    assert rehearsal["failure"].startswith("008_errors_hourly.sql line 2 (CREATE MATERIALIZED VIEW IF NOT EXISTS "
                                           "errors_hourly): ")
    assert "cannot run inside a transaction block" in rehearsal["failure"]
    assert [(f["code"], f["file"], f["line"], f["blocking"]) for f in data["lint"]] == [
        ("L002", "008_errors_hourly.sql", 2, True)]
    assert hashlib.sha256(json.dumps(sorted(map(str, _ledger(tsl_migrated_db.dsn)))).encode()).hexdigest() == before
    text = cli("migrate", "--dsn", tsl_migrated_db.dsn, "--dir", str(folder), "--dry-run", timeout=300)
    assert "would apply 008_errors_hourly.sql" in text.stdout
    assert "WOULD FAIL: 008_errors_hourly.sql line 2" in text.stdout
    assert "lint L002 error 008_errors_hourly.sql:2:" in text.stdout


def test_rehearsal_of_the_shipped_migrations_passes_and_says_when_no_engine_is_there(
    cli: Cli, tsl_db: TestDb
) -> None:
    result = cli("migrate", "--dsn", tsl_db.dsn, "--dry-run", "--json", timeout=300)
    assert result.code == 0, result.output
    data = json.loads(result.stdout)
    assert data["lint"] == [] and data["rehearsal"]["failure"] == ""
    assert data["rehearsal"]["would_apply"] == [f"{p.name[:3]} {p.stem[4:].replace('_', ' ')}" for p in SHIPPED]
    no_node = cli("migrate", "--dsn", tsl_db.dsn, "--dry-run", extra_env={"PATH": "/nonexistent"})
    assert no_node.code == 0, no_node.output
    assert "rehearsal skipped: no embedded engine to replay into: tsl engine needs Node.js" in no_node.stdout
    assert "the plan alone follows" in no_node.stdout and "would apply 006_supporting_tables.sql" in no_node.stdout
    assert _ledger(tsl_db.dsn) == []


def _ledger(dsn: str) -> list[tuple[object, ...]]:
    with psycopg.connect(dsn, prepare_threshold=None) as conn:
        if conn.execute("SELECT to_regclass('_sqlx_migrations')").fetchone() == (None,):
            return []
        return conn.execute("SELECT version, checksum FROM _sqlx_migrations ORDER BY 1").fetchall()


def test_apache_target_refusals_and_version_differences_are_unsettled_not_drift(
    cli: Cli, native_db: TestDb, tmp_path: Path
) -> None:
    folder = write_folder(tmp_path)
    psql_apply(native_db.dsn, folder)  # 004 and 005 fail statement by statement on the Apache edition
    result = cli("verify", "--dsn", native_db.dsn, "--drift", "--dir", str(folder), "--json", timeout=300)
    drift = drift_of(result)
    assert str(drift["target"]).startswith("PostgreSQL 15") and "(apache)" in str(drift["target"])
    assert str(drift["replay_engine"]).startswith("PostgreSQL 17")
    found = differences(drift)
    assert drift["drifted"] is False, [d for d in found.values() if d["kind"] != "unsettled"]
    cagg = found[("unsettled", "continuous aggregate", "cost_analysis_hourly")]
    assert cagg["file"] == "004_continuous_aggregates.sql"
    assert "the target runs the apache edition, which refuses continuous aggregates" in cagg["detail"]
    retention = found[("unsettled", "job", "policy_retention on llm_traces")]
    assert retention["file"] == "005_retention_policies.sql"


def test_verify_screen_drift_tab_lists_a_renamed_index(cli: Cli, tsl_migrated_db: TestDb) -> None:
    execute(tsl_migrated_db.dsn, "ALTER INDEX idx_logs_provider RENAME TO idx_logs_provider_old")
    execute(tsl_migrated_db.dsn, "CREATE INDEX idx_logs_by_hand ON llm_logs (service_name)")

    async def scenario() -> None:
        app = ObsConsoleApp(Session(ResolvedDsn(tsl_migrated_db.dsn, "test")), start_mode="verify")
        async with app.run_test(size=(160, 48)) as pilot:
            await wait_for(pilot, lambda: app.screen.query_one("#verify-table", DataTable).row_count >= 14)
            await pilot.press("f")
            summary = app.screen.query_one("#drift-summary", Static)
            await wait_for(pilot, lambda: "DRIFT" in str(summary.render()), timeout=180)
            table = app.screen.query_one("#drift-table", DataTable)
            rows = sorted([str(cell) for cell in table.get_row_at(i)] for i in range(table.row_count))
            assert rows == [["extra", "index", "idx_logs_by_hand", "-",
                             "not created by any replayed migration (made by hand or by another tool?)"],
                            ["renamed", "index", "idx_logs_provider", "003_create_indexes.sql",
                             "exists as idx_logs_provider_old (same definition)"]]
            assert "7 migration(s) from the ledger" in str(summary.render())
            # Issue 23: at 80x24 (and 120x36) the findings wrap at their spaces, every word whole, none cut; at 80
            # the migration that created it gives way whole (the detail says more).
            for size in [(80, 24), (120, 36)]:
                await pilot.resize_terminal(*size)
                await wait_for(pilot, width_is(table, size[0]))
                await pilot.pause()
                lines = screen_lines(app)
                headers = [str(column.label) for column in table.columns.values()]
                assert headers == ["difference", "object", "name", "detail"] if size == (80, 24) else \
                    ["difference", "object", "name", "created by", "detail"], (size, headers)
                for row in rows:
                    assert all(words_whole(cell, lines) for cell, column in zip(row, COLUMNS, strict=True)
                               if column.name in headers), (size, row, lines)
            await pilot.press("q")

    asyncio.run(scenario())
