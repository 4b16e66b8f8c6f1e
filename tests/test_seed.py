"""`obsconsole seed` against the real engines: self-consistent rows, costs from effective-dated prices, a visible
mid-window price change, determinism (same seed + end, same rows on both engines and any worker count), the
Community aftercare (caggs refreshed, old chunks compressed), and one-line refusals."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

import psycopg
import pytest
from psycopg.adapt import PyFormat, Transformer

from console.infra.db import wasm_engine
from console.infra.queries import query
from console.infra.resources import MIGRATIONS_DIR
from console.seed import generator, pricing, writers
from tests.conftest import CliResult, TestDb

Cli = Callable[..., CliResult]
END = "2026-11-25T00:00Z"

ORPHAN_LOGS = """
SELECT count(*) FROM llm_logs l
WHERE NOT EXISTS (SELECT 1 FROM llm_traces t WHERE t.trace_id = l.trace_id AND t.span_id = l.span_id)
"""
# Every hour x provider x model of the spans against its metric points, both ways (FULL JOIN).
METRIC_MISMATCHES = """
WITH spans AS (
    SELECT time_bucket(INTERVAL '1 hour', ts) AS hour, provider, model,
           count(*)::float8 AS requests, (count(*) FILTER (WHERE status = 'error'))::float8 AS errors,
           sum(input_tokens)::float8 AS input_tokens, sum(output_tokens)::float8 AS output_tokens,
           sum(total_cost_usd)::float8 AS cost
    FROM llm_traces GROUP BY 1, 2, 3),
points AS (
    SELECT ts AS hour, provider, model,
           max(value) FILTER (WHERE metric_name = 'llm.requests') AS requests,
           max(value) FILTER (WHERE metric_name = 'llm.errors') AS errors,
           max(value) FILTER (WHERE metric_name = 'gen_ai.client.token.usage.input') AS input_tokens,
           max(value) FILTER (WHERE metric_name = 'gen_ai.client.token.usage.output') AS output_tokens,
           max(value) FILTER (WHERE metric_name = 'llm.cost') AS cost,
           max(sample_count) FILTER (WHERE metric_name = 'gen_ai.client.operation.duration') AS histogram_count
    FROM llm_metrics GROUP BY 1, 2, 3)
SELECT count(*), (SELECT count(*) FROM spans)
FROM spans FULL JOIN points USING (hour, provider, model)
WHERE spans.requests IS DISTINCT FROM points.requests OR spans.errors IS DISTINCT FROM points.errors
   OR spans.input_tokens IS DISTINCT FROM points.input_tokens
   OR spans.output_tokens IS DISTINCT FROM points.output_tokens
   OR spans.cost IS DISTINCT FROM points.cost OR spans.requests IS DISTINCT FROM points.histogram_count::float8
"""
# Independent of the seeder: the model_pricing row with the newest effective_date <= the span's UTC date.
COST_MISMATCHES = """
SELECT count(*) FILTER (WHERE t.input_cost_usd IS DISTINCT FROM t.input_tokens * p.inp / 1000
                           OR t.output_cost_usd IS DISTINCT FROM t.output_tokens * p.outp / 1000
                           OR t.total_cost_usd IS DISTINCT FROM t.input_tokens * p.inp / 1000
                                                               + t.output_tokens * p.outp / 1000),
       count(*) FILTER (WHERE p.inp IS NULL),
       count(*) FILTER (WHERE t.total_cost_usd IS NULL),
       count(*) FILTER (WHERE t.total_cost_usd = 0 AND t.input_tokens > 0)
FROM llm_traces t
LEFT JOIN LATERAL (
    SELECT mp.input_price_per_1k_usd AS inp, mp.output_price_per_1k_usd AS outp
    FROM model_pricing mp
    WHERE mp.provider = t.provider AND mp.model = t.model AND mp.effective_date <= (t.ts AT TIME ZONE 'UTC')::date
    ORDER BY mp.effective_date DESC
    LIMIT 1) p ON true
"""
PER_TOKEN = """
SELECT ts < %(day)s::date::timestamptz AS before_change, min(input_cost_usd / input_tokens),
       max(input_cost_usd / input_tokens), min(output_cost_usd / output_tokens), count(*)
FROM llm_traces
WHERE provider = %(provider)s AND model = %(model)s AND input_tokens > 0
GROUP BY 1 ORDER BY 1 DESC
"""
DIGESTS = {
    "llm_traces": "SELECT md5(string_agg(md5(t::text), '' ORDER BY ts, trace_id, span_id)), count(*) FROM llm_traces t",
    "llm_logs": "SELECT md5(string_agg(md5(l::text), '' ORDER BY ts, trace_id, span_id)), count(*) FROM llm_logs l",
    "llm_metrics": "SELECT md5(string_agg(md5(m::text), '' ORDER BY ts, metric_name, provider, model)), count(*)"
                   " FROM llm_metrics m",
}


def connect(dsn: str) -> psycopg.Connection[tuple[Any, ...]]:
    conn = psycopg.connect(dsn, autocommit=True, prepare_threshold=None)
    conn.execute("SET TimeZone = 'UTC'")
    return conn


def seed_json(cli: Cli, dsn: str, *args: str) -> dict[str, Any]:
    result = cli("seed", "--dsn", dsn, "--json", *args)
    assert result.code == 0, result.output
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def digests(dsn: str) -> dict[str, tuple[str, int]]:
    with connect(dsn) as conn:
        return {table: tuple(conn.execute(sql).fetchone() or ()) for table, sql in DIGESTS.items()}


def truncate(dsn: str) -> None:
    with connect(dsn) as conn:
        conn.execute("TRUNCATE llm_traces, llm_logs, llm_metrics")


def assert_consistent(dsn: str, spans: int) -> None:
    """Logs belong to spans; metric points equal span sums; the unpriced model costs NULL."""
    with connect(dsn) as conn:
        assert conn.execute("SELECT count(*) FROM llm_traces").fetchone() == (spans,)
        assert conn.execute(ORPHAN_LOGS).fetchone() == (0,), "every log's (trace_id, span_id) is a seeded span"
        assert conn.execute("SELECT count(*) FROM llm_logs").fetchone()[0] > spans // 20  # type: ignore[index]
        mismatched, groups = conn.execute(METRIC_MISMATCHES).fetchone()  # type: ignore[misc]
        assert groups > 100 and mismatched == 0, f"{mismatched} of {groups} hour x provider x model groups differ"
        unpriced = conn.execute(
            "SELECT count(*), count(total_cost_usd), min(input_tokens) FROM llm_traces WHERE model = 'codestral'"
        ).fetchone()
        assert unpriced is not None and unpriced[0] > 0 and unpriced[1] == 0, "unknown price: cost NULL, never 0"
        shape = conn.execute(
            "SELECT count(DISTINCT provider), count(DISTINCT model), count(DISTINCT environment),"
            " count(*) FILTER (WHERE status = 'error'), count(DISTINCT error_type), count(DISTINCT user_id),"
            " count(DISTINCT trace_id) < count(*) FROM llm_traces"
        ).fetchone()
        assert shape is not None
        providers, models, environments, errors, error_types, users, multi_span_traces = shape
        assert providers >= 7 and models >= 20 and environments == 3
        assert 0 < errors < spans // 10 and error_types >= 3 and users >= 20 and multi_span_traces


def assert_costs(dsn: str, change: dict[str, Any]) -> None:
    """Costs = tokens x the effective model_pricing row; the synthetic price change halves the per-token cost."""
    with connect(dsn) as conn:
        mismatched, unpriced, null_cost, zero_cost_with_tokens = conn.execute(COST_MISMATCHES).fetchone()  # type: ignore[misc]
        assert mismatched == 0
        assert unpriced == null_cost > 0, "NULL cost exactly where no price is effective"
        assert zero_cost_with_tokens == 0
        groups = conn.execute(PER_TOKEN, {"day": change["effective_date"], "provider": change["provider"],
                                          "model": change["model"]}).fetchall()
    assert [g[0] for g in groups] == [True, False], "spans of the changed model on both sides of the change"
    (_b, before_min, before_max, before_out, _n1), (_a, after_min, after_max, after_out, _n2) = groups
    assert before_min == before_max == Decimal(change["before"]["input_per_1k"]) / 1000
    assert after_min == after_max == Decimal(change["after"]["input_per_1k"]) / 1000
    assert before_min == 2 * after_min and before_out == 2 * after_out


def add_model_pricing(dsn: str, change: dict[str, Any]) -> None:
    """On native (no 006 there): migration 006 run by hand plus the synthetic row the seed reported."""
    text = next(MIGRATIONS_DIR.glob("006_*.sql")).read_text()
    after = change["after"]
    with connect(dsn) as conn:
        conn.execute(text)
        conn.execute("INSERT INTO model_pricing (provider, model, input_price_per_1k_usd, output_price_per_1k_usd,"
                     " effective_date) VALUES (%s, %s, %s, %s, %s)",
                     (after["provider"], after["model"], Decimal(after["input_per_1k"]),
                      Decimal(after["output_per_1k"]), date.fromisoformat(after["effective_date"])))


@pytest.mark.parametrize(("args", "expected"), [
    (["--days", "0"], "--days must be at least 1 (got 0)"),
    (["--days", "-1"], "--days must be at least 1 (got -1)"),
    (["--spans", "0"], "--spans must be between 1 and"),
    (["--spans", "10", "--rate", "5"], "give either --spans or --rate, not both"),
    (["--rate", "0"], "--rate must be a positive number"),
    (["--end", "yesterday"], "--end 'yesterday' is not an ISO 8601"),
])
def test_bad_flags_give_one_line_and_exit_2(cli: Cli, args: list[str], expected: str) -> None:
    # An unreachable DSN: the flags are refused before any connection is tried.
    result = cli("seed", "--dsn", "postgresql://nobody@127.0.0.1:1/none", *args)
    assert result.code == 2, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("obsconsole: ") and expected in lines[0], result.stderr
    assert result.stdout == ""


def test_engine_detection_and_message_size_estimates() -> None:
    assert wasm_engine(
        "PostgreSQL 17.5 on aarch64-unknown-linux-gnu, compiled by emcc (Emscripten gcc/clang-like replacement"
        " + linker emulating GNU ld) 3.1.74, 32-bit")
    assert not wasm_engine("PostgreSQL 15.14 (Debian 15.14-0+deb12u1) on x86_64-pc-linux-gnu, compiled by"
                                      " gcc (Debian 12.2.0-14) 12.2.0, 64-bit")
    book = pricing.PriceBook(pricing.from_migration())
    start, hours = generator.window(datetime(2026, 11, 25, tzinfo=UTC), 2)
    spec = generator.SeedSpec(7, start, hours, 5_000, generator.model_specs(book, start.date()), book)
    rows = generator.generate(spec, 0, hours)
    transformer = Transformer()
    for table, data in ((writers.TRACES, rows.traces), (writers.LOGS, rows.logs), (writers.METRICS, rows.metrics)):
        wire = [writers.wire_row(r) for r in data]
        for batch in writers.batches(wire, writers.BATCH_BYTES):
            columns = [list(c) for c in zip(*batch, strict=True)]
            dumped = transformer.dump_sequence(columns, [PyFormat.BINARY] * len(columns))
            real = sum(len(d) for d in dumped if d is not None)
            assert real <= 32 * len(table.columns) + sum(writers.estimate_bytes(r) for r in batch)
            assert real + len(query(table.insert_query)) < 64 * 1024 - 8 * 1024, "well under 64 KiB"


def test_generator_is_deterministic_and_exact_in_count() -> None:
    book = pricing.PriceBook(pricing.from_migration())
    start, hours = generator.window(datetime(2026, 11, 25, 7, 42, tzinfo=UTC), 3)
    assert start == datetime(2026, 11, 22, 7, tzinfo=UTC) and hours == 72
    spec = generator.SeedSpec(5, start, hours, 4_321, generator.model_specs(book, start.date()), book)
    whole = generator.generate(spec, 0, hours)
    halves = generator.generate(spec, 0, 30), generator.generate(spec, 30, hours)
    assert len(whole.traces) == 4_321
    assert whole.traces == halves[0].traces + halves[1].traces, "any split of the hours gives the same rows"
    assert whole.metrics == halves[0].metrics + halves[1].metrics
    assert all(start <= r[0] < start + timedelta(hours=hours) for r in whole.traces + whole.logs)


def test_native_copy_seed_is_consistent_deterministic_and_refuses_a_taken_window(cli: Cli, native_db: TestDb) -> None:
    dsn = native_db.dsn
    assert cli("migrate", "--dsn", dsn, "--to", "3").code == 0
    first = seed_json(cli, dsn, "--spans", "20000", "--end", END, "--seed", "7")
    assert first["path"] == "binary COPY" and first["spans"] == 20_000
    assert first["window_start"] == "2026-11-15T00:00:00+00:00" and first["window_end"] == "2026-11-25T00:00:00+00:00"
    assert "migration 006" in first["prices_source"] and first["unpriced_models"] == ["mistral_ai/codestral"]
    assert first["aftercare"] is None and "apache edition has no continuous aggregates" in first["aftercare_note"]
    change = first["price_change"]
    assert change["effective_date"] == "2026-11-20" and not change["stored"]
    assert "SYNTHETIC" in first["price_change_note"]
    assert_consistent(dsn, 20_000)
    reference = digests(dsn)

    taken = cli("seed", "--dsn", dsn, "--spans", "100", "--end", END)
    assert taken.code == 2 and len(taken.stderr.strip().splitlines()) == 1
    assert "llm_traces, llm_logs, llm_metrics already hold rows between 2026-11-15T00:00Z and 2026-11-25T00:00Z" \
        in taken.stderr

    truncate(dsn)
    parallel = seed_json(cli, dsn, "--spans", "20000", "--end", END, "--seed", "7", "--workers", "2")
    assert parallel["path"] == "binary COPY, 2 parallel streams"
    assert digests(dsn) == reference, "same seed and end: the same rows, whatever the number of workers"

    truncate(dsn)
    seed_json(cli, dsn, "--spans", "20000", "--end", END, "--seed", "8")
    other = digests(dsn)
    assert all(other[t][0] != reference[t][0] for t in DIGESTS), "another seed gives other rows"

    add_model_pricing(dsn, change)
    assert_costs(dsn, change)


def test_tsl_default_ten_days_with_caggs_and_compression(cli: Cli, tsl_migrated_db: TestDb) -> None:
    dsn = tsl_migrated_db.dsn
    result = seed_json(cli, dsn)  # the defaults: 10 days ending now, 250 spans/hour (its speed: `bench`)
    assert result["spans"] >= 50_000, result["spans"]
    assert result["path"].startswith("INSERT ... SELECT FROM unnest()") and result["workers"] == 1
    assert result["prices_source"] == "model_pricing table"
    change = result["price_change"]
    assert change["inserted"] and change["stored"]
    steps = result["aftercare"]["steps"]
    assert [s["error"] for s in steps] == [None] * len(steps) and result["aftercare"]["warnings"] == []
    assert sum(s["action"] == "refresh" for s in steps) == 4
    assert {s["target"].split()[2] for s in steps if s["action"] == "run_job"} == {
        "policy_compression", "policy_retention", "policy_refresh_continuous_aggregate"}

    assert_consistent(dsn, result["spans"])
    assert_costs(dsn, change)
    with connect(dsn) as conn:
        cagg = conn.execute("SELECT sum(request_count), sum(total_cost_usd) FROM cost_analysis_hourly").fetchone()
        raw = conn.execute("SELECT count(*), sum(total_cost_usd) FROM llm_traces").fetchone()
        assert cagg == raw, "cost_analysis_hourly materialized over the whole seeded window"
        for view in ("llm_metrics_1min", "llm_metrics_1hour", "llm_metrics_1day"):
            assert conn.execute(f"SELECT sum(request_count) FROM {view}").fetchone() == (raw[0],)  # type: ignore[index]
        chunks = conn.execute(
            "SELECT range_start, range_end, is_compressed, now() - INTERVAL '7 days'"
            " FROM timescaledb_information.chunks WHERE hypertable_name = 'llm_traces'").fetchall()
        assert conn.execute("SELECT count(*) FROM model_pricing WHERE effective_date = %s",
                            (date.fromisoformat(change["effective_date"]),)).fetchone() == (1,)
    old = [c for c in chunks if c[1] <= c[3] - timedelta(minutes=10)]
    recent = [c for c in chunks if c[0] >= c[3]]
    assert old and recent and len(chunks) == 11
    assert all(c[2] for c in old), "chunks older than 7 days are compressed"
    assert not any(c[2] for c in recent), "chunks of the last 7 days are not"

    # Seeding the same window again after emptying it: the price row is found, not added twice.
    truncate(dsn)
    again = seed_json(cli, dsn, "--spans", "500", "--end", result["window_end"], "--no-aftercare")
    assert not again["price_change"]["inserted"] and "already in model_pricing" in again["price_change_note"]
    assert again["aftercare"] is None and again["aftercare_note"] == "skipped (--no-aftercare)"

    # A window older than the 37-day retention of logs and metrics: the report warns, the jobs drop those chunks.
    old_end = (datetime.fromisoformat(result["window_end"]) - timedelta(days=60)).isoformat()
    older = seed_json(cli, dsn, "--spans", "300", "--days", "2", "--end", old_end)
    warnings = older["aftercare"]["warnings"]
    assert len(warnings) == 2 and "llm_logs (drop_after 37 days)" in warnings[0] and "llm_metrics" in warnings[1]
    with connect(dsn) as conn:
        kept = conn.execute("SELECT (SELECT count(*) FROM llm_traces WHERE ts < %(end)s),"
                            " (SELECT count(*) FROM llm_logs WHERE ts < %(end)s)", {"end": old_end}).fetchone()
    assert kept == (300, 0), "llm_traces keeps 90 days, llm_logs 37"


def test_same_seed_same_rows_on_both_engines(cli: Cli, native_migrated_db: TestDb, tsl_migrated_db: TestDb) -> None:
    # native: COPY and migration 006's price list; tsl: INSERT batches and the model_pricing table.
    args = ("--spans", "3000", "--days", "4", "--end", END, "--seed", "11", "--no-aftercare")
    native = seed_json(cli, native_migrated_db.dsn, *args)
    tsl = seed_json(cli, tsl_migrated_db.dsn, *args)
    assert native["path"] != tsl["path"]
    assert digests(native_migrated_db.dsn) == digests(tsl_migrated_db.dsn)
