"""A database deployed by other tools: the cost pane finds the hourly cost where it lives (cost_analysis_hourly,
else another hourly continuous aggregate with provider, model, a cost and a request count), names its source in
its title and JSON, and says what it looked for when there is none; extra hypertables and aggregates appear in
the chunk, compression and retention panes as themselves."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest

from tests.conftest import CliResult, TestDb
from tests.known_data import SEED_TRACES, connect

Cli = Callable[..., CliResult]


def _snapshot(cli: Cli, dsn: str, *args: str) -> dict[str, Any]:
    result = cli("snapshot", "--dsn", dsn, "--json", *args)
    assert result.code == 0, result.output
    panes: dict[str, Any] = json.loads(result.stdout)["panes"]
    return panes


@pytest.mark.tsl
def test_cost_from_another_hourly_aggregate_and_extra_objects(cli: Cli, tsl_migrated_db: TestDb) -> None:
    with connect(tsl_migrated_db.dsn) as conn:
        conn.execute("SET default_transaction_read_only = off")
        conn.execute(SEED_TRACES)
        conn.execute("DROP MATERIALIZED VIEW cost_analysis_hourly")
        conn.execute("CALL refresh_continuous_aggregate('llm_metrics_1hour', NULL, NULL)")
        # A developer's extra hypertable with compression and retention, and an extra aggregate over it.
        conn.execute("CREATE TABLE dev_events (ts timestamptz NOT NULL, kind text, n int)")
        conn.execute("SELECT create_hypertable('dev_events', 'ts', chunk_time_interval => interval '1 day')")
        conn.execute("INSERT INTO dev_events SELECT now() - n * interval '5 hours', 'k' || n % 3, n"
                     " FROM generate_series(0, 60) n")
        conn.execute("ALTER TABLE dev_events SET (timescaledb.compress, timescaledb.compress_segmentby = 'kind')")
        conn.execute("SELECT add_compression_policy('dev_events', interval '3 days')")
        conn.execute("SELECT add_retention_policy('dev_events', interval '30 days')")
        conn.execute("CREATE MATERIALIZED VIEW dev_events_daily WITH (timescaledb.continuous) AS"
                     " SELECT time_bucket('1 day', ts) AS day, kind, count(*) FROM dev_events GROUP BY 1, 2"
                     " WITH NO DATA")
        conn.execute("CALL refresh_continuous_aggregate('dev_events_daily', NULL, NULL)")
        expected = dict(conn.execute(
            "WITH w AS (SELECT LEAST(time_bucket('1 hour', now()), time_bucket('1 hour',"
            " _timescaledb_functions.to_timestamp(_timescaledb_functions.cagg_watermark((SELECT mat_hypertable_id"
            " FROM _timescaledb_catalog.continuous_agg WHERE user_view_name = 'llm_metrics_1hour'))))) AS e)"
            " SELECT model, sum(request_count)::int FROM llm_metrics_1hour, w"
            " WHERE bucket >= w.e - interval '24 hours' AND bucket < w.e GROUP BY model").fetchall())

    panes = _snapshot(cli, tsl_migrated_db.dsn)
    cost = panes["cost"]
    assert cost["status"] == "ok", cost
    source = cost["summary"]["source"]
    assert (source["view"], source["cost"], source["requests"], source["unpriced"]) == (
        "llm_metrics_1hour", "total_cost_usd", "request_count", None)
    assert {r["model"]: r["requests"] for r in cost["rows"]} == expected and expected
    text = cli("snapshot", "--dsn", tsl_migrated_db.dsn, "--pane", "cost", extra_env={"COLUMNS": "160"})
    assert "Cost per model (llm_metrics_1hour: bucket, provider, model, total_cost_usd, request_count" in text.stdout
    assert "llm_metrics_1hour has no unpriced_request_count" in " ".join(text.stdout.split())

    names = {pane: {r["name"] for r in panes[pane]["rows"]} for pane in ("chunks", "compression", "retention")}
    assert {"dev_events", "dev_events_daily"} <= names["chunks"]
    assert "dev_events" in names["compression"]
    retention = {r["name"]: r for r in panes["retention"]["rows"]}
    assert retention["dev_events"]["policy"] == "drop after 30 days" and "dev_events_daily" in retention

    with connect(tsl_migrated_db.dsn) as conn:
        conn.execute("SET default_transaction_read_only = off")
        conn.execute("DROP MATERIALIZED VIEW llm_metrics_1hour")
    cost = _snapshot(cli, tsl_migrated_db.dsn, "--pane", "cost")["cost"]
    assert cost["status"] == "unavailable"
    assert cost["reason"].startswith("no hourly cost aggregate in this database (looked for "
                                     "cost_analysis_hourly, or a continuous aggregate with a 1-hour bucket")
    assert "a request count (request_count, requests, count)" in cost["reason"]
