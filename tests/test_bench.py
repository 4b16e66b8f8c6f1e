"""`obsconsole bench` against the real engines: ingest vs the psql \\copy baseline (native), the skipped baseline on
the tsl engine, query latency, the indexes the sample queries use, and the refusal to empty a table with spans."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import psycopg
import pytest

from console.bench.explain import index_name, summarize
from tests.conftest import CliResult, TestDb

Cli = Callable[..., CliResult]
SAMPLES = {"by provider and time", "by trace_id", "errors", "expensive", "cost by model over a time range"}


def span_count(dsn: str) -> int:
    with psycopg.connect(dsn) as conn:
        row = conn.execute("SELECT count(*) FROM llm_traces").fetchone()
    return int(row[0]) if row else -1


def run_bench(cli: Cli, dsn: str, tmp_path: Path, *args: str) -> tuple[CliResult, dict[str, Any]]:
    out = tmp_path / "bench.json"
    result = cli("bench", "--dsn", dsn, "--json", str(out), "--repeat", "3", *args)
    assert result.code == 0, result.output
    return result, json.loads(out.read_text())


def check_queries(data: dict[str, Any]) -> dict[str, list[str]]:
    queries = {q["name"]: q for q in data["queries"]}
    assert set(queries) >= SAMPLES | {"chunks", "hypertable_detailed_size"}
    for timing in queries.values():
        assert timing["runs"] == 3 and 0 < timing["p50_ms"] <= timing["p95_ms"] <= timing["max_ms"]
        assert (timing["plan"] is not None) == (timing["kind"] == "sample")
    used = {name: queries[name]["plan"]["indexes"] for name in SAMPLES}
    # The selective sample queries are served by the indexes made for them (migration 003).
    assert "idx_traces_trace_id" in used["by trace_id"]
    assert "idx_traces_errors" in used["errors"]
    assert "idx_traces_expensive" in used["expensive"]
    return used


def test_native_bench_against_psql_copy(cli: Cli, native_migrated_db: TestDb, tmp_path: Path) -> None:
    result, data = run_bench(cli, native_migrated_db.dsn, tmp_path, "--spans", "20000")
    ingest, baseline = data["ingest"], data["baseline"]
    assert ingest["spans"] == 20_000 and ingest["path"] == "binary COPY" and ingest["seconds"] > 0
    assert ingest["spans_per_s"] == pytest.approx(ingest["spans"] / ingest["seconds"])  # a figure, not a speed test
    assert baseline["skipped"] is None and baseline["spans"] == 20_000 and baseline["csv_bytes"] > 1_000_000
    assert baseline["ratio"] == ingest["spans_per_s"] / baseline["spans_per_s"]
    assert "seeder / psql = " in result.stdout and "idx_traces_errors" in result.stdout
    check_queries(data)
    assert span_count(native_migrated_db.dsn) == 20_000, "the baseline's copy of the spans stays loaded"

    refused = cli("bench", "--dsn", native_migrated_db.dsn, "--spans", "10")
    assert refused.code == 2 and len(refused.stderr.strip().splitlines()) == 1
    assert "already holds spans" in refused.stderr and "--yes" in refused.stderr
    assert span_count(native_migrated_db.dsn) == 20_000, "refused: nothing emptied"


def test_tsl_bench_skips_the_psql_baseline_and_keeps_the_engine_up(
    cli: Cli, tsl_migrated_db: TestDb, tmp_path: Path
) -> None:
    _result, data = run_bench(cli, tsl_migrated_db.dsn, tmp_path, "--spans", "3000", "--workers", "4")
    assert data["ingest"]["spans"] == 3_000 and data["ingest"]["path"].startswith("INSERT")
    assert data["ingest"]["workers"] == 1
    skipped = data["baseline"]["skipped"]
    assert skipped is not None and "crashes the tsl engine" in skipped and data["baseline"]["ratio"] is None
    check_queries(data)
    assert span_count(tsl_migrated_db.dsn) == 3_000, "the engine is still up"
    # --startup: `obsconsole` launched in a pseudo-terminal as a user does, on the same database (read only).
    started = cli("bench", "--startup", "--dsn", tsl_migrated_db.dsn)
    assert started.code == 0, started.output
    shown = " ".join(started.stdout.split())
    found = re.search(r"launched 5 times in a 160x48 terminal: first frame ([\d.]+) s, five panes drawn ([\d.]+) s "
                      r"after the launch \(medians; each run: ((?:[\d.]+/[\d.]+(?:, )?){5}) s\)", shown)
    assert found, shown
    runs = [tuple(float(x) for x in run.split("/")) for run in found.group(3).split(", ")]
    assert all(0 < first <= drawn for first, drawn in runs), runs  # the header is drawn before the panes' data
    assert re.search(r"`obsconsole --help` [\d.]+ s \(median of 5\) first dashboard paint \d+ ms", shown), shown
    assert span_count(tsl_migrated_db.dsn) == 3_000


def test_bench_bad_flags(cli: Cli) -> None:
    for args, expected in ((["--spans", "0"], "--spans must be between"), (["--repeat", "0"], "--repeat must be")):
        result = cli("bench", "--dsn", "postgresql://nobody@127.0.0.1:1/none", *args)
        assert result.code == 2 and len(result.stderr.strip().splitlines()) == 1 and expected in result.stderr


def test_plan_summary_names_hypertable_indexes() -> None:
    assert index_name("_hyper_1_3_chunk_idx_traces_provider") == "idx_traces_provider"
    assert index_name("3_12_idx_traces_errors") == "idx_traces_errors"
    assert index_name("llm_traces_pkey") == "llm_traces_pkey"
    plan = [{"Plan": {"Node Type": "Limit", "Total Cost": 12.5, "Plans": [
        {"Node Type": "Custom Scan", "Custom Plan Provider": "ChunkAppend", "Plans": [
            {"Node Type": "Index Scan", "Index Name": "_hyper_1_2_chunk_idx_traces_errors",
             "Relation Name": "_hyper_1_2_chunk"},
            {"Node Type": "Index Scan", "Index Name": "_hyper_1_3_chunk_idx_traces_errors",
             "Relation Name": "_hyper_1_3_chunk"},
            {"Node Type": "Seq Scan", "Relation Name": "_hyper_1_4_chunk"}]}]}}]
    summary = summarize(plan)
    assert summary.indexes == ["idx_traces_errors"] and summary.seq_scans == 1 and summary.chunks_scanned == 3
    assert summary.node_types == ["Limit", "Custom Scan (ChunkAppend)", "Index Scan", "Seq Scan"]
