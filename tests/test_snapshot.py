"""`obsconsole snapshot` as a user runs it: the five panes as tables or JSON, exit codes."""

from __future__ import annotations

import json
from collections.abc import Callable

import psycopg
import pytest

from tests.conftest import CliResult, TestDb
from tests.known_data import SEED_LOGS, SEED_TRACES

Cli = Callable[..., CliResult]
TITLES = ("Chunk sizes", "Compression ratios", "Background jobs", "Retention windows", "Cost per model")


@pytest.mark.tsl
def test_tsl_snapshot_json_and_tables(cli: Cli, tsl_migrated_db: TestDb) -> None:
    before = cli("snapshot", "--dsn", tsl_migrated_db.dsn, "--json", "--pane", "cost")
    assert before.code == 0, before.output
    cost = json.loads(before.stdout)["panes"]["cost"]
    assert cost["status"] == "empty" and "never refreshed" in cost["reason"]
    assert cost["summary"]["freshness"]["never_refreshed"] and cost["summary"]["freshness"]["stale"]

    with psycopg.connect(tsl_migrated_db.dsn, autocommit=True, prepare_threshold=None) as conn:
        # The tsl engine is one backend shared by successive connections: the snapshot's read-only session
        # setting is still there.
        conn.execute("SET default_transaction_read_only = off")
        conn.execute(SEED_TRACES)
        conn.execute(SEED_LOGS)
        conn.execute("CALL refresh_continuous_aggregate('cost_analysis_hourly', NULL, NULL)")

    result = cli("snapshot", "--dsn", tsl_migrated_db.dsn, "--json")
    assert result.code == 0, result.output
    snap = json.loads(result.stdout)
    assert list(snap["panes"]) == ["chunks", "compression", "jobs", "retention", "cost"]
    assert {name: pane["status"] for name, pane in snap["panes"].items()} == dict.fromkeys(snap["panes"], "ok")
    assert snap["server"]["edition"] == "community"
    cost = snap["panes"]["cost"]
    assert cost["summary"]["length"] == 86_400 and cost["summary"]["currency"] == "USD"
    assert {row["model"] for row in cost["rows"]} == {"gpt-4o", "claude-sonnet-4", "gemini-2.5-flash", "mystery-1"}
    assert all(isinstance(pane["elapsed_ms"], float) for pane in snap["panes"].values())

    text = cli("snapshot", "--dsn", tsl_migrated_db.dsn)
    assert text.code == 0, text.output
    for title in TITLES:
        assert title in text.stdout
    assert "cost_analysis_hourly (cagg)" in text.stdout and "refresh from 2 days to 1 hour ago" in text.stdout

    week = cli("snapshot", "--dsn", tsl_migrated_db.dsn, "--json", "--pane", "cost", "--window", "7d")
    assert week.code == 0, week.output
    only = json.loads(week.stdout)["panes"]
    assert list(only) == ["cost"] and only["cost"]["summary"]["length"] == 7 * 86_400


@pytest.mark.native
def test_native_snapshot_says_what_apache_cannot_show(cli: Cli, native_migrated_db: TestDb) -> None:
    result = cli("snapshot", "--dsn", native_migrated_db.dsn, "--json")
    assert result.code == 0, result.output
    panes = json.loads(result.stdout)["panes"]
    assert {name: pane["status"] for name, pane in panes.items()} == {
        "chunks": "ok", "compression": "unavailable", "jobs": "ok", "retention": "ok", "cost": "unavailable"}
    assert "Apache edition" in panes["compression"]["reason"] and "Apache edition" in panes["cost"]["reason"]
    text = cli("snapshot", "--dsn", native_migrated_db.dsn)
    assert text.code == 0 and all(title in text.stdout for title in TITLES), text.output
    assert "unavailable on the Apache edition" in text.stdout


def test_snapshot_cannot_connect_exits_2_without_the_password(cli: Cli) -> None:
    result = cli("snapshot", "--dsn", "postgresql://someone:s3cretPass@127.0.0.1:1/db?connect_timeout=2")
    assert result.code == 2
    assert result.stderr.startswith("obsconsole: ") and len(result.stderr.strip().splitlines()) == 1
    assert "s3cretPass" not in result.output


def test_snapshot_rejects_bad_flags_before_connecting(cli: Cli) -> None:
    dsn = "postgresql://u@127.0.0.1:1/db"
    for args, words in ((["--pane", "disk"], "unknown pane"), (["--window", "soon"], "not a window length"),
                        (["--start", "2025-01-01"], "go together"), (["--timeout", "0s"], "--timeout")):
        result = cli("snapshot", "--dsn", dsn, *args)
        assert result.code == 2 and words in result.stderr, (args, result.output)


@pytest.mark.native
def test_snapshot_without_timescaledb_says_so_per_pane(cli: Cli, native_plain_db: TestDb) -> None:
    result = cli("snapshot", "--dsn", native_plain_db.dsn, "--json")
    assert result.code == 0, result.output
    panes = json.loads(result.stdout)["panes"]
    assert {pane["status"] for pane in panes.values()} == {"unavailable"}
    assert all("TimescaleDB, which is not installed" in pane["reason"] for pane in panes.values())


@pytest.mark.native
def test_snapshot_names_the_session_holding_the_lock_it_waited_for(cli: Cli, native_migrated_db: TestDb) -> None:
    with psycopg.connect(native_migrated_db.dsn, autocommit=True) as conn:
        conn.execute(SEED_TRACES)
        row = conn.execute("SELECT count(*) FROM show_chunks('llm_traces')").fetchone()
        assert row is not None and row[0] > 0
    with psycopg.connect(native_migrated_db.dsn, application_name="nightly-batch") as blocker:
        blocker.execute("LOCK TABLE llm_traces IN ACCESS EXCLUSIVE MODE")  # chunks too: their sizes must wait
        result = cli("snapshot", "--dsn", native_migrated_db.dsn, "--json", "--pane", "chunks", "--timeout", "500ms")
        holder = blocker.info.backend_pid
    assert result.code == 0, result.output
    pane = json.loads(result.stdout)["panes"]["chunks"]
    assert pane["status"] == "timeout"
    assert pane["reason"].startswith(f"Chunk sizes: could not check: waited 500 ms for a lock: pid {holder} "
                                     f"(nightly-batch) holds AccessExclusiveLock on llm_traces (and {row[0]} of "
                                     "its chunk"), pane["reason"]
