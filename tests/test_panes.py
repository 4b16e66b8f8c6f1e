"""The five panes against the real engines, with data whose answers are known: every figure is checked against
the catalog function or the raw rows it summarizes (the tests may read raw spans; the panes may not)."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest

from console.infra.fmt import duration_words, interval_words
from console.infra.resources import QUERIES_DIR
from console.infra.server import server_info
from console.panes import (
    PANES,
    CostWindow,
    PaneOptions,
    PaneStatus,
    cost_per_model,
    parse_window,
    refresh_all,
)
from console.panes.compression import compression
from tests.conftest import CliResult, TestDb
from tests.known_data import (
    SEED_BULK_LOGS,
    SEED_LOGS,
    SEED_METRICS,
    SEED_OLD_LOGS,
    SEED_TRACES,
    Conn,
    connect,
    wait_for_builtin_job_failure,
)

Cli = Callable[..., CliResult]

def job_id(conn: Conn, proc: str, table: str) -> int:
    row = conn.execute(
        "SELECT job_id FROM timescaledb_information.jobs WHERE proc_name = %s AND hypertable_name = %s", (proc, table)
    ).fetchone()
    assert row is not None, (proc, table)
    return int(row[0])


def seed_tsl(conn: Conn) -> None:
    for statement in (SEED_TRACES, SEED_LOGS, SEED_OLD_LOGS, SEED_METRICS):
        conn.execute(statement)
    conn.execute("CALL refresh_continuous_aggregate('cost_analysis_hourly', NULL, NULL)")
    # Compress llm_traces and apply its retention (nothing is old enough to drop); llm_logs' compression and
    # retention jobs are NOT run: its old chunks are overdue and its week-old chunks are compression backlog.
    conn.execute("CALL run_job(%s)", (job_id(conn, "policy_compression", "llm_traces"),))
    conn.execute("CALL run_job(%s)", (job_id(conn, "policy_retention", "llm_traces"),))


@pytest.mark.tsl
def test_tsl_panes_agree_with_the_catalogs_and_the_raw_spans(cli: Cli, tsl_migrated_db: TestDb) -> None:
    with connect(tsl_migrated_db.dsn) as conn:
        seed_tsl(conn)
        info = server_info(conn)
        snap = refresh_all(conn, info)
        assert [p.pane for p in snap.panes] == list(PANES)
        assert {p.pane: p.status for p in snap.panes} == dict.fromkeys(PANES, PaneStatus.OK), [
            (p.pane, p.reason) for p in snap.panes
        ]
        _check_cost(conn, snap.pane("cost"))
        _check_compression(conn, snap.pane("compression"))
        _check_retention(conn, snap.pane("retention"))
        _check_jobs(snap.pane("jobs"))
        _check_chunks(conn, snap.pane("chunks"))

        # The pre-2.18 query (chunk_compression_stats, still present in 2.23) gives the same answer.
        older = compression(conn, dataclasses.replace(info, timescaledb_installed="2.17.2"))
        newer = compression(conn, info)
        def timeless(rows: list[Any]) -> list[Any]:
            return [dataclasses.replace(r, oldest_backlog_age=None) for r in rows]

        assert older.status is PaneStatus.OK and timeless(older.rows) == timeless(newer.rows)

        # A 7-day and a custom window cover more of the same spans, still exactly.
        week = cost_per_model(conn, info, CostWindow.last("7d"))
        assert week.summary is not None and week.summary.length == timedelta(days=7)
        _check_cost(conn, week)
        end = week.summary.window_end
        custom = cost_per_model(conn, info, CostWindow.between(end - timedelta(days=11), end))
        _check_cost(conn, custom)
        # Whole buckets: every span of the 11 days but those of the hour still in progress (not yet complete).
        row = conn.execute("SELECT count(*) FROM llm_traces WHERE ts < time_bucket('1 hour', now())").fetchone()
        assert row is not None and 388 <= row[0] <= 390
        assert custom.summary is not None and custom.summary.requests == row[0], "every complete hour's span"
        assert custom.summary.window_end == week.summary.window_end <= datetime.now(UTC)
        assert custom.summary.buckets == 11 * 24 and week.summary.buckets == 7 * 24


def _raw_costs(conn: Conn, start: object, end: object, watermark: object) -> dict[tuple[str, str], tuple[Any, ...]]:
    """Cost per model from the raw spans, for the hourly buckets starting in [start, end) below the watermark."""
    rows = conn.execute(
        "SELECT provider, model, sum(total_cost_usd), count(*), count(*) FILTER (WHERE total_cost_usd IS NULL),"
        " sum(input_tokens), sum(output_tokens) FROM llm_traces"
        " WHERE time_bucket('1 hour', ts) >= %(s)s AND time_bucket('1 hour', ts) < %(e)s"
        " AND time_bucket('1 hour', ts) < %(w)s GROUP BY 1, 2",
        {"s": start, "e": end, "w": watermark},
    ).fetchall()
    return {(r[0], r[1]): tuple(r[2:]) for r in rows}


def _check_cost(conn: Conn, pane: Any) -> None:
    summary = pane.summary
    fresh = summary.freshness
    wm = conn.execute(
        "SELECT _timescaledb_functions.to_timestamp(_timescaledb_functions.cagg_watermark(mat_hypertable_id))"
        " FROM _timescaledb_catalog.continuous_agg WHERE user_view_name = 'cost_analysis_hourly'"
    ).fetchone()
    assert wm is not None and fresh.watermark == wm[0] and not fresh.never_refreshed
    assert fresh.materialized_only and fresh.refresh_window == "refresh from 2 days to 1 hour ago"
    assert summary.window_end - summary.window_start == summary.length
    raw = _raw_costs(conn, summary.window_start, summary.window_end, fresh.watermark)
    assert {(m.provider, m.model) for m in pane.rows} == set(raw)
    for m in pane.rows:
        cost, requests, unpriced, tokens_in, tokens_out = raw[(m.provider, m.model)]
        assert (m.cost_usd, m.requests, m.unpriced_requests, m.input_tokens, m.output_tokens) == (
            cost, requests, unpriced, tokens_in, tokens_out), m.model
        series = [p.cost_usd for p in summary.series if p.model == m.model and p.cost_usd is not None]
        assert (sum(series, Decimal(0)) if series else None) == m.cost_usd
    priced = [m for m in pane.rows if m.cost_usd is not None]
    assert summary.total_cost_usd == sum((m.cost_usd for m in priced), Decimal(0))
    assert sum(m.share_pct for m in priced) == pytest.approx(100)
    mystery = next(m for m in pane.rows if m.model == "mystery-1")
    assert mystery.cost_usd is None and mystery.unpriced_requests == mystery.requests > 0
    assert summary.unpriced_models == ["mystery-1"]
    # The change compares bucket k of the window with bucket k of the previous one where both hold data.
    hours: dict[Any, dict[tuple[str, str], Any]] = {}
    for bucket, provider, model, cost in conn.execute(
            "SELECT time_bucket('1 hour', ts), provider, model, sum(total_cost_usd) FROM llm_traces"
            " WHERE time_bucket('1 hour', ts) >= %(s)s AND time_bucket('1 hour', ts) < %(e)s"
            " AND time_bucket('1 hour', ts) < %(w)s GROUP BY 1, 2, 3",
            {"s": summary.previous_start, "e": summary.window_end, "w": fresh.watermark}).fetchall():
        hours.setdefault(bucket, {})[(provider, model)] = cost
    length = summary.window_start - summary.previous_start
    paired = [b for b in hours if b >= summary.window_start and b - length in hours]
    assert summary.paired_buckets == len(paired)
    assert summary.previous_buckets == sum(b < summary.window_start for b in hours)
    for m in pane.rows:
        before = [c for c in (hours[b - length].get((m.provider, m.model)) for b in paired) if c is not None]
        assert m.previous_cost_usd == (sum(before, Decimal(0)) if before else None), m.model


def _check_compression(conn: Conn, pane: Any) -> None:
    by_name = {t.name: t for t in pane.rows}
    assert set(by_name) == {"llm_traces", "llm_metrics", "llm_logs"}
    for table in by_name.values():
        stats = conn.execute(
            "SELECT total_chunks, number_compressed_chunks, before_compression_total_bytes,"
            " after_compression_total_bytes FROM hypertable_compression_stats(%s)", (table.name,)
        ).fetchone()
        assert stats is not None
        total, compressed, before, after = stats
        assert (table.total_chunks, table.compressed_chunks) == (total, compressed), table.name
        assert (table.before_total_bytes, table.after_total_bytes) == (before or 0, after or 0), table.name
        assert table.ratio == (before / after if after else None)
        assert table.policy == "compress after 7 days" and table.compress_after == timedelta(days=7)
    traces = by_name["llm_traces"]
    assert traces.compressed_chunks >= 3 and traces.ratio is not None and traces.ratio > 1
    assert traces.saved_pct == pytest.approx(100 * (1 - traces.after_total_bytes / traces.before_total_bytes))
    assert traces.backlog_chunks == 0
    per_chunk = dict(conn.execute(
        "SELECT chunk_name, before_compression_total_bytes FROM chunk_compression_stats('llm_traces')").fetchall())
    assert {c.chunk_name: c.before_bytes for c in traces.chunks} == per_chunk
    expected_backlog = {r[0] for r in conn.execute(
        "SELECT chunk_name FROM timescaledb_information.chunks WHERE hypertable_name = 'llm_logs'"
        " AND NOT is_compressed AND range_end < now() - interval '7 days'").fetchall()}
    logs = by_name["llm_logs"]
    assert len(expected_backlog) >= 6  # three 40+ days old, three or four of last week
    assert {c.chunk_name for c in logs.chunks if c.backlog} == expected_backlog
    assert logs.backlog_chunks == len(expected_backlog) and logs.compressed_chunks == 0
    assert logs.oldest_backlog is not None and logs.oldest_backlog_age is not None
    assert logs.oldest_backlog_age > timedelta(days=40)


def _check_retention(conn: Conn, pane: Any) -> None:
    by_name = {w.name: w for w in pane.rows}
    assert set(by_name) == {"llm_traces", "llm_metrics", "llm_logs", "llm_metrics_1min", "llm_metrics_1hour",
                            "llm_metrics_1day", "cost_analysis_hourly"}
    expected = {r[0] for r in conn.execute(
        "SELECT chunk_name FROM timescaledb_information.chunks WHERE hypertable_name = 'llm_logs'"
        " AND range_end < now() - interval '37 days'").fetchall()}
    logs = by_name["llm_logs"]
    assert len(expected) == 3 and {c.chunk_name for c in logs.overdue} == expected
    assert all(c.overdue_by is not None and c.overdue_by > timedelta(days=2) for c in logs.overdue)
    assert any("past the retention window (drop after 37 days)" in f for f in logs.findings)
    assert logs.policy == "drop after 37 days" and logs.drop_after == timedelta(days=37)
    assert logs.timeline == "hot 7 days -> compressed -> dropped after 37 days"
    assert logs.oldest_range_start is not None and logs.newest_range_end is not None
    assert logs.span == logs.newest_range_end - logs.oldest_range_start
    assert [w.name for w in pane.rows if w.overdue] == ["llm_logs"]
    cost = by_name["cost_analysis_hourly"]
    assert cost.kind == "continuous aggregate" and cost.policy == "drop after 210 days" and cost.chunk_count > 0
    assert cost.source_name == "llm_traces" and cost.findings == []
    assert pane.summary.overdue_chunks == 3 and pane.summary.with_policy == 7


def _check_jobs(pane: Any) -> None:
    policies = {(j.kind, j.target_name, j.config_text) for j in pane.rows if j.target_name is not None}
    assert policies == {
        ("refresh", "llm_metrics_1min", "refresh from 1 hour to 1 minute ago"),
        ("refresh", "llm_metrics_1hour", "refresh from 2 days to 1 hour ago"),
        ("refresh", "llm_metrics_1day", "refresh from 3 days to 1 hour ago"),
        ("refresh", "cost_analysis_hourly", "refresh from 2 days to 1 hour ago"),
        ("compression", "llm_traces", "compress after 7 days"),
        ("compression", "llm_metrics", "compress after 7 days"),
        ("compression", "llm_logs", "compress after 7 days"),
        ("retention", "llm_traces", "drop after 90 days"),
        ("retention", "llm_metrics", "drop after 37 days"),
        ("retention", "llm_logs", "drop after 37 days"),
        ("retention", "llm_metrics_1min", "drop after 37 days"),
        ("retention", "llm_metrics_1hour", "drop after 210 days"),
        ("retention", "llm_metrics_1day", "drop after 1095 days"),
        ("retention", "cost_analysis_hourly", "drop after 210 days"),
    }
    by_target = {(j.kind, j.target_name): j for j in pane.rows}
    assert by_target[("refresh", "llm_metrics_1min")].schedule == "every 30 seconds"
    assert by_target[("refresh", "cost_analysis_hourly")].target_kind == "continuous aggregate"
    assert by_target[("compression", "llm_traces")].target_kind == "hypertable"
    builtin = next(j for j in pane.rows if j.job_id == 3)
    assert builtin.kind == "job history retention" and builtin.config_text == "drop job history after 1 month"
    # No background workers in the tsl engine: nothing ran through the scheduler, nothing is failing.
    assert all(j.status == "Scheduled" and not j.failing for j in pane.rows)


def _check_chunks(conn: Conn, pane: Any) -> None:
    by_name = {t.name: t for t in pane.rows}
    cost = by_name["cost_analysis_hourly"]
    assert cost.kind == "continuous aggregate" and cost.hypertable_name.startswith("_materialized_hypertable_")
    assert cost.chunk_count > 0 and cost.chunk_interval == timedelta(days=10)
    for table in pane.rows:
        sizes = conn.execute("SELECT count(*), COALESCE(sum(total_bytes), 0) FROM chunks_detailed_size(%s)",
                             (f"{table.hypertable_schema}.{table.hypertable_name}",)).fetchone()
        assert sizes == (table.chunk_count, table.total_bytes), table.name
        compressed = conn.execute("SELECT count(*) FILTER (WHERE is_compressed) FROM timescaledb_information.chunks"
                                  " WHERE hypertable_name = %s", (table.hypertable_name,)).fetchone()
        assert compressed == (table.compressed_chunks,), table.name
        assert table.compressed_chunks + table.uncompressed_chunks == table.chunk_count
    assert by_name["llm_traces"].compressed_chunks >= 3


@pytest.mark.native
def test_native_apache_chunks_exact_jobs_show_the_failing_builtin_and_community_panes_unavailable(
    cli: Cli, native_db: TestDb
) -> None:
    assert cli("migrate", "--dsn", native_db.dsn, "--to", "3").code == 0
    with connect(native_db.dsn) as conn:
        for statement in (SEED_TRACES, SEED_LOGS, SEED_OLD_LOGS, SEED_METRICS, SEED_BULK_LOGS):
            conn.execute(statement)
        wait_for_builtin_job_failure(conn)
        info = server_info(conn)
        snap = refresh_all(conn, info)

        chunks = snap.pane("chunks")
        assert chunks is not None and chunks.status is PaneStatus.OK
        for table in chunks.rows:
            expected = conn.execute(
                "SELECT chunk_name, table_bytes, index_bytes, toast_bytes, total_bytes"
                " FROM chunks_detailed_size(%s) ORDER BY total_bytes DESC, chunk_name", (table.name,)).fetchall()
            assert table.chunk_count == len(expected) > 0
            assert (table.table_bytes, table.index_bytes, table.toast_bytes, table.total_bytes) == tuple(
                sum(r[i] for r in expected) for i in range(1, 5))
            assert table.biggest is not None and table.biggest.total_bytes == expected[0][4]
            assert table.compressed_chunks == 0 and table.growth_bytes_per_day is not None
            newest = conn.execute("SELECT chunk_name FROM timescaledb_information.chunks WHERE hypertable_name = %s"
                                  " ORDER BY range_end DESC LIMIT 1", (table.name,)).fetchone()
            assert table.newest is not None and newest == (table.newest.chunk_name,)
        logs = next(t for t in chunks.rows if t.name == "llm_logs")
        assert logs.biggest is not None
        assert [s.chunk.chunk_name for s in logs.skewed] == [logs.biggest.chunk_name]
        assert logs.skewed[0].factor > 4
        assert all(not t.skewed for t in chunks.rows if t.name != "llm_logs")

        jobs = snap.pane("jobs")
        assert jobs is not None and jobs.status is PaneStatus.OK
        builtin = next(j for j in jobs.rows if j.job_id == 3)
        assert builtin.kind == "job history retention" and builtin.last_run_status == "Failed" and builtin.failing
        assert builtin.total_failures >= 1 and builtin.consecutive_failures >= 1 and builtin.last_success is None
        assert builtin.last_error is not None and builtin.last_error.sqlerrcode == "0A000"
        assert 'not supported under the current "apache" license' in (builtin.last_error.message or "")
        assert jobs.summary is not None and jobs.summary.failing >= 1

        for name in ("compression", "cost"):
            pane = snap.pane(name)
            assert pane is not None and pane.status is PaneStatus.UNAVAILABLE and pane.rows == []
            assert "Apache edition" in (pane.reason or ""), pane.reason

        retention = snap.pane("retention")
        assert retention is not None and retention.status is PaneStatus.OK
        assert {w.policy for w in retention.rows} == {"no retention policy"}
        assert all(w.overdue == [] and w.chunk_count > 0 for w in retention.rows)


@pytest.mark.native
def test_a_pane_over_its_timeout_says_so_and_the_others_still_answer(cli: Cli, native_migrated_db: TestDb) -> None:
    with connect(native_migrated_db.dsn) as conn, connect(native_migrated_db.dsn) as locker:
        conn.execute(SEED_LOGS)
        row = conn.execute("SELECT count(*) FROM show_chunks('llm_logs')").fetchone()
        assert row is not None and row[0] > 1
        chunk_count = row[0]
        info = server_info(conn)
        with locker.transaction():
            locker.execute("LOCK TABLE llm_logs IN ACCESS EXCLUSIVE MODE")
            snap = refresh_all(conn, info, PaneOptions(timeouts={"chunks": 200}))
        statuses = {p.pane: p.status for p in snap.panes}
        assert statuses == {"chunks": PaneStatus.TIMEOUT, "compression": PaneStatus.UNAVAILABLE,
                            "jobs": PaneStatus.OK, "retention": PaneStatus.OK, "cost": PaneStatus.UNAVAILABLE}
        chunks = snap.pane("chunks")
        # A lock wait, not a slow query: the reason names the session holding the lock.
        assert chunks is not None and chunks.summary is None
        assert (chunks.reason or "").startswith("Chunk sizes: could not check: waited 200 ms for a lock: pid "), \
            chunks.reason
        # LOCK TABLE on a hypertable locks each chunk too: one line names the hypertable and counts its chunks.
        assert (f"holds AccessExclusiveLock on llm_logs (and {chunk_count} of its chunks) for "
                in (chunks.reason or "")), chunks.reason
        assert chunks.elapsed_ms > 150  # it waited for the lock (how much longer is this machine's business)
        # The connection is still usable, and the pane answers once the lock is gone.
        again = refresh_all(conn, info, only=["chunks"])
        assert [p.status for p in again.panes] == [PaneStatus.OK]


def test_no_pane_query_reads_a_raw_hypertable() -> None:
    raw = re.compile(r"\b(llm_traces|llm_metrics|llm_logs)\b", re.IGNORECASE)
    files = sorted((QUERIES_DIR / "panes").glob("*.sql"))
    assert len(files) >= 8
    for path in files:
        code = "\n".join(line.split("--", 1)[0] for line in path.read_text().splitlines())
        assert not raw.search(code), f"{path.name} names a raw hypertable"


def test_words_for_intervals_durations_and_windows() -> None:
    assert [interval_words(t) for t in ("7 days", "01:00:00", "00:01:00", "1 mon", "2 days 03:30:00", "00:00:30")] \
        == ["7 days", "1 hour", "1 minute", "1 month", "2 days 3 hours 30 minutes", "30 seconds"]
    assert interval_words("86400000") == "86400000" and interval_words(None) is None
    assert duration_words(timedelta(days=4, hours=11, minutes=39, seconds=5)) == "4 days 11 hours 39 minutes"
    assert duration_words(timedelta(milliseconds=5)) == "5 ms"
    assert [parse_window(t) for t in ("1h", "24h", "7d", "30d")] == [
        timedelta(hours=1), timedelta(hours=24), timedelta(days=7), timedelta(days=30)]
    with pytest.raises(ValueError):
        parse_window("yesterday")


def test_both_stats_function_names_give_the_same_compression_rows(cli: Cli, tsl_migrated_db: TestDb) -> None:
    """2.18 renamed chunk_compression_stats to chunk_columnstore_stats (the old name stays): the pane picks by
    version; on 2.23 both exist, so the query must give the same rows with either."""
    from psycopg import sql

    from console.panes.rows import fetch

    with connect(tsl_migrated_db.dsn) as conn:
        conn.execute("SET default_transaction_read_only = off")
        conn.execute(SEED_TRACES)
        conn.execute("SELECT compress_chunk(c) FROM show_chunks('llm_traces', older_than => interval '7 days') c")
        rows = {name: fetch(conn, "panes/compression", template={"stats_function": sql.Identifier(name)})
                for name in ("chunk_columnstore_stats", "chunk_compression_stats")}
    new, old = rows["chunk_columnstore_stats"], rows["chunk_compression_stats"]
    strip = [{k: v for k, v in r.items() if k != "db_now"} for r in new]
    assert strip == [{k: v for k, v in r.items() if k != "db_now"} for r in old]
    assert sum(1 for r in new if r["before_total_bytes"] is not None) >= 3
