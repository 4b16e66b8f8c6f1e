"""`obsconsole bench --chunks` on the real engines (an N-chunk catalog in a scratch place, the panes' refresh beside
the psql floor, statements and server CPU per refresh, the headless TUI's memory) and verify on a catalog of a few
thousand chunks. Figures are printed, never timed: the assertions are about their structure and the clean-up."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import psycopg

from console.bench import catalog
from console.infra.db import Timeouts, connect
from console.infra.dsn import ResolvedDsn
from console.infra.queries import query
from console.infra.resources import MIGRATIONS_DIR
from console.migrator import files
from console.panes import PANES
from tests.conftest import CliResult, TestDb, register_dsn_password
from tests.known_data import connect as raw_connect

Cli = Callable[..., CliResult]


def scratch_databases(dsn: str) -> list[str]:
    with raw_connect(dsn) as conn:
        rows = conn.execute("SELECT datname FROM pg_database WHERE datname LIKE 'obsconsole_bench_%'").fetchall()
    return [str(r[0]) for r in rows]


def run_chunks(cli: Cli, dsn: str, tmp_path: Path, *args: str) -> tuple[CliResult, dict[str, Any]]:
    out = tmp_path / "scale.json"
    result = cli("bench", "--dsn", dsn, "--json", str(out), "--repeat", "3", *args, timeout=900)
    assert result.code == 0, result.output
    return result, json.loads(out.read_text())


def check_point(point: dict[str, Any], chunks: int) -> None:
    assert sum(point["chunks"].values()) == chunks, point["chunks"]
    assert set(point["chunks"]) == {"llm_traces", "llm_metrics", "llm_logs"}
    assert all(n > 0 for n in point["chunks"].values())
    refresh = point["refresh"]
    assert 0 < refresh["p50_ms"] <= refresh["p95_ms"] <= refresh["max_ms"]
    assert [p["pane"] for p in point["panes"]] == list(PANES)
    for pane in point["panes"]:
        assert set(pane["statuses"]) <= {"ok", "empty", "unavailable"} and sum(pane["statuses"].values()) == 3, pane
        assert 0 <= pane["timing"]["p50_ms"] <= pane["timing"]["p95_ms"] <= refresh["max_ms"]
    assert point["statements_per_refresh"] >= 3  # the chunks, jobs and retention panes run on both editions
    cold = point["cold"]  # the dashboard's first refreshes measured every chunk; then a steady share per refresh
    assert 1 <= cold["refreshes"] < 5_000 and cold["ms_per_chunk"] > 0, cold
    assert 0 < cold["cold_chunks"] < chunks and cold["ttl_s"] == 1800 and cold["budget_ms"] == 10
    base = point["floor"]
    assert base["skipped"] is None and base["statements_per_refresh"] == 3
    assert 0 < base["refresh"]["p50_ms"] <= base["refresh"]["p95_ms"]


def test_native_bench_chunks_measures_against_the_psql_floor_and_drops_its_database(
        cli: Cli, native_db: TestDb, tmp_path: Path) -> None:
    result, data = run_chunks(cli, native_db.dsn, tmp_path, "--chunks", "30,60", "--memory", "--memory-minutes", "0.1")
    assert data["scratch_kind"] == "database" and "migrated to 003" in data["migrated"]
    assert [p["chunks_requested"] for p in data["points"]] == [30, 60]
    for point, chunks in zip(data["points"], (30, 60), strict=True):
        check_point(point, chunks)
        # The server is on this machine: its backend's CPU is read from /proc, for the panes and for psql.
        assert point["server_cpu_ms"] is not None and point["server_cpu_ms"] >= 0, point["cpu_note"]
        assert "/proc" in point["cpu_note"] and point["floor"]["server_cpu_ms"] is not None
        assert {p["pane"]: p["statuses"] for p in point["panes"]}["compression"] == {"unavailable": 3}  # Apache
    memory = data["memory"]
    assert memory["chunks"] == 60 and memory["refresh_s"] == 1.0 and len(memory["samples"]) >= 2
    assert memory["samples"][-1]["refreshes"] >= 1 and all(s["rss_mib"] > 10 for s in memory["samples"])
    assert "MiB per hour (extrapolated)" in result.stdout
    for text in ("five-pane refresh vs the psql floor", "panes ms p50/p95", "floor ms p50/p95", "each pane",
                 "TUI memory, headless", "cold chunk sizes", "refreshes until every size measured"):
        assert text in result.stdout, text
    assert scratch_databases(native_db.dsn) == [], "the scratch database is dropped"
    with raw_connect(native_db.dsn) as conn:  # the target database itself was not touched
        assert conn.execute("SELECT count(*) FROM timescaledb_information.hypertables").fetchone() == (0,)


def test_tsl_bench_chunks_uses_a_scratch_schema_and_leaves_the_engine_as_it_was(
        cli: Cli, tsl_db: TestDb, tmp_path: Path) -> None:
    with raw_connect(tsl_db.dsn) as conn:
        before = conn.execute("SELECT current_setting('search_path'), (SELECT count(*) FROM "
                              "timescaledb_information.jobs)").fetchone()
    result, data = run_chunks(cli, tsl_db.dsn, tmp_path, "--chunks", "30")
    last = max(m.version for m in files.load(MIGRATIONS_DIR))
    assert data["scratch_kind"] == "schema" and f"all migrations (to {last:03d})" in data["migrated"]
    point = data["points"][0]
    check_point(point, 30)
    # No backend process (WASM): the server's CPU is the engine's Node process, found by its listening port.
    assert point["server_cpu_ms"] is not None and "Node process" in point["cpu_note"], point["cpu_note"]
    assert point["floor"]["server_cpu_ms"] is not None
    assert "WASM" in result.stdout
    with raw_connect(tsl_db.dsn) as conn:
        after = conn.execute("SELECT current_setting('search_path'), (SELECT count(*) FROM "
                             "timescaledb_information.jobs)").fetchone()
        assert after == before, "search_path and jobs as they were"
        assert conn.execute("SELECT count(*) FROM _timescaledb_catalog.hypertable").fetchone() == (0,)
        assert conn.execute("SELECT count(*) FROM pg_namespace WHERE nspname LIKE 'obsconsole_bench_%'"
                            ).fetchone() == (0,)
        assert conn.execute("SHOW default_transaction_read_only").fetchone() == ("off",)
    # A one-database engine that already holds hypertables is refused: the panes would measure those too.
    assert cli("migrate", "--dsn", tsl_db.dsn).code == 0
    refused = cli("bench", "--dsn", tsl_db.dsn, "--chunks", "10")
    assert refused.code == 2 and len(refused.stderr.strip().splitlines()) == 1
    assert "already holds hypertables" in refused.stderr


def test_bench_chunks_refusals(cli: Cli, native_db: TestDb) -> None:
    for value, expected in (("ten", "counts separated by commas"), ("1", "between 3 and 100,000"),
                            ("100,0", "between 3"), (",", "at least one count")):
        result = cli("bench", "--dsn", "postgresql://nobody@127.0.0.1:1/none", "--chunks", value)
        assert result.code == 2 and len(result.stderr.strip().splitlines()) == 1, result.output
        assert expected in result.stderr and "Traceback" not in result.output
    # A role that may not create databases is refused before anything is created.
    with raw_connect(native_db.dsn) as conn:
        conn.execute("CREATE ROLE bench_nocreate LOGIN PASSWORD 'nocreate-pw-7'")
    try:
        parts = psycopg.conninfo.conninfo_to_dict(native_db.dsn)
        parts.update(user="bench_nocreate", password="nocreate-pw-7")
        dsn = psycopg.conninfo.make_conninfo(**{k: str(v) for k, v in parts.items() if v is not None})
        register_dsn_password(dsn)
        refused = cli("bench", "--dsn", dsn, "--chunks", "10")
        assert refused.code == 2 and len(refused.stderr.strip().splitlines()) == 1, refused.output
        assert "CREATEDB" in refused.stderr and "nothing was done" in refused.stderr
        assert "nocreate-pw-7" not in refused.output
        assert scratch_databases(native_db.dsn) == []
    finally:
        with raw_connect(native_db.dsn) as conn:
            conn.execute("DROP ROLE bench_nocreate")


def test_verify_passes_on_a_catalog_of_thousands_of_chunks(cli: Cli, native_migrated_db: TestDb) -> None:
    chunks = 2000
    target = ResolvedDsn(native_migrated_db.dsn, "--dsn")
    with connect(target, read_only=False, timeouts=Timeouts(600_000, 10_000)) as conn:
        built = catalog.build(conn, chunks)
        assert built.total == chunks
        # A row written into the newest chunk after the ANALYZE: that chunk is measured exactly, the settled ones
        # are read from statistics. The build flushed its activity statistics before its ANALYZE; this row's
        # reach shared memory as the flush statement after it ends (not up to a second later): no waiting.
        conn.execute("INSERT INTO llm_metrics (ts, metric_name, provider, model, value) "
                     "VALUES (%s, 'hot', 'bench', 'bench', 1)", (built.end,))
        conn.execute(query("bench/flush_stats"))
        rows = conn.execute("SELECT measured, count(*) FROM (" + query("verify/chunk_sizes") + ") AS s "
                            "GROUP BY measured").fetchall()
        measured = {str(kind): int(str(n)) for kind, n in rows}
        assert measured == {"exact": 1, "statistics": chunks - 1}, measured
        # The statistics agree with the exact sizes (chunks_detailed_size) within a few index pages per chunk.
        sizes = conn.execute("SELECT hypertable_name, measured, sum(total_bytes) FROM (" + query("verify/chunk_sizes")
                             + ") AS s GROUP BY 1, 2").fetchall()
        for table, count in built.chunks.items():
            estimated = sum(int(str(n)) for t, kind, n in sizes if t == table and kind == "statistics")
            row = conn.execute("SELECT sum(total_bytes) FROM chunks_detailed_size(%s::regclass) AS d WHERE NOT EXISTS "
                               "(SELECT 1 FROM pg_stat_user_tables AS u WHERE u.relname = d.chunk_name "
                               "AND u.n_mod_since_analyze > 0)", (table,)).fetchone()
            assert row is not None and row[0] is not None, (table, sizes)
            exact = int(str(row[0]))
            assert exact - 4 * 8192 * count <= estimated <= exact, (table, estimated, exact)
    result = cli("verify", "--dsn", native_migrated_db.dsn, "--json", timeout=600)
    assert result.code == 0, result.output
    checks = {c["id"]: c for c in json.loads(result.stdout)["checks"]}
    assert all(c["status"] != "FAIL" for c in checks.values()), result.stdout
    assert checks["S13"]["status"] == "PASS" and "llm_traces ~" in checks["S13"]["found"]
    assert "catalog statistics" in checks["S13"]["found"]
    assert checks["H05"]["status"] == "PASS" and checks["H05"]["found"] == f"{chunks} chunks, none skewed"
