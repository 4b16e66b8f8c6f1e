"""The fleet's figures read from TimescaleDB's catalog tables (queries/fleet/timescale.sql, cheap for a new server
process to plan: what a cold refresh of many databases pays per database) are the figures TimescaleDB's
timescaledb_information views give: checked on the tsl engine (Community: compression, aggregates, policies) with
compressed chunks, a compression backlog, chunks past retention (an aggregate's among them) and late, stuck and
failing jobs; and a late job that a backend is running is not overdue (the follow-up query, on the native engine)."""

from __future__ import annotations

import asyncio
import contextlib
import threading
import time

import psycopg
import pytest
from psycopg.rows import dict_row

from console.fleet import targets as fleet_targets
from console.fleet.probe import FleetMonitor, _not_running
from console.infra.dsn import ResolvedDsn
from tests.conftest import TestDb

# The fleet's query as it was before it read the catalog tables: the same figures from the information views.
REFERENCE = """
WITH targets AS (
    SELECT h.hypertable_schema AS object_schema, h.hypertable_name AS object_name,
           h.hypertable_schema AS ht_schema, h.hypertable_name AS ht_name
    FROM timescaledb_information.hypertables AS h
    UNION ALL
    SELECT ca.view_schema, ca.view_name, ca.materialization_hypertable_schema, ca.materialization_hypertable_name
    FROM timescaledb_information.continuous_aggregates AS ca
),
policies AS (
    SELECT t.ht_schema, t.ht_name,
           min(CASE WHEN jsonb_typeof(j.config -> 'compress_after') = 'string'
                    THEN (j.config ->> 'compress_after')::interval END) AS compress_after,
           min(CASE WHEN jsonb_typeof(j.config -> 'drop_after') = 'string'
                    THEN (j.config ->> 'drop_after')::interval END)     AS drop_after
    FROM timescaledb_information.jobs AS j
    JOIN targets AS t
      ON (j.hypertable_schema = t.object_schema AND j.hypertable_name = t.object_name)
      OR (j.hypertable_schema = t.ht_schema AND j.hypertable_name = t.ht_name)
    WHERE j.proc_name IN ('policy_compression', 'policy_retention')
    GROUP BY t.ht_schema, t.ht_name
),
chunks AS (
    SELECT c.range_start, c.range_end, c.is_compressed, p.compress_after, p.drop_after,
           CASE WHEN c.is_compressed THEN COALESCE(z.compressed_heap_size + z.compressed_toast_size
                                                   + z.compressed_index_size, 0)
                WHEN cl.reltuples < 0 OR pg_stat_get_mod_since_analyze(cl.oid) > 0 THEN pg_total_relation_size(cl.oid)
                ELSE (cl.relpages + COALESCE(tc.relpages, 0) + COALESCE(ix.pages, 0))::bigint
                     * current_setting('block_size')::bigint
           END AS bytes,
           z.uncompressed_heap_size + z.uncompressed_toast_size + z.uncompressed_index_size AS before_bytes,
           z.compressed_heap_size + z.compressed_toast_size + z.compressed_index_size       AS after_bytes
    FROM timescaledb_information.chunks AS c
    JOIN pg_namespace AS n ON n.nspname = c.chunk_schema
    JOIN pg_class AS cl ON cl.relnamespace = n.oid AND cl.relname = c.chunk_name
    LEFT JOIN pg_class AS tc ON tc.oid = cl.reltoastrelid
    LEFT JOIN LATERAL (SELECT sum(i.relpages) AS pages FROM pg_index AS x JOIN pg_class AS i ON i.oid = x.indexrelid
                       WHERE x.indrelid = cl.oid) AS ix ON true
    LEFT JOIN _timescaledb_catalog.chunk AS ch ON ch.schema_name = c.chunk_schema AND ch.table_name = c.chunk_name
    LEFT JOIN _timescaledb_catalog.compression_chunk_size AS z ON z.chunk_id = ch.id AND c.is_compressed
    LEFT JOIN policies AS p ON p.ht_schema = c.hypertable_schema AND p.ht_name = c.hypertable_name
),
jobs AS (
    SELECT j.proc_name, s.last_run_status, COALESCE(s.total_failures, 0) AS total_failures,
           COALESCE(j.next_start = '-infinity'
                    OR (j.scheduled AND s.job_status IS DISTINCT FROM 'Running' AND isfinite(j.next_start)
                        AND j.next_start < now() - INTERVAL '5 minutes'), false) AS overdue
    FROM timescaledb_information.jobs AS j
    LEFT JOIN timescaledb_information.job_stats AS s ON s.job_id = j.job_id
)
SELECT (SELECT count(*) FROM jobs)                                                       AS jobs,
       (SELECT COALESCE(array_agg(proc_name ORDER BY proc_name), '{}')
          FROM jobs WHERE last_run_status = 'Failed')                                   AS failing_procs,
       (SELECT count(*) FROM jobs WHERE overdue)                                         AS overdue_jobs,
       (SELECT COALESCE(sum(total_failures), 0) FROM jobs)::bigint                       AS job_failures,
       (SELECT count(*) FROM chunks)                                                     AS chunks,
       (SELECT count(*) FROM chunks WHERE is_compressed)                                 AS compressed_chunks,
       (SELECT COALESCE(sum(bytes), 0) FROM chunks)::bigint                              AS chunk_bytes,
       (SELECT sum(bytes)::float8 / GREATEST(LEAST(7, extract(epoch FROM now() - min(range_start)) / 86400), 1)
          FROM chunks WHERE range_end > now() - INTERVAL '7 days')                       AS growth_bytes_per_day,
       (SELECT count(*) FROM chunks
         WHERE NOT is_compressed AND range_end < now() - compress_after)                 AS compression_backlog,
       (SELECT sum(before_bytes)::float8 / NULLIF(sum(after_bytes), 0) FROM chunks)      AS compression_ratio,
       (SELECT count(*) FROM chunks WHERE range_end < now() - drop_after)                AS retention_overdue
"""

JOB_STAT = ("INSERT INTO _timescaledb_internal.bgw_job_stat (job_id, last_start, last_finish, next_start, "
            "last_successful_finish, last_run_success, total_runs, total_duration, total_duration_failures, "
            "total_successes, total_failures, total_crashes, consecutive_failures, consecutive_crashes, flags) "
            "VALUES (%(id)s, now() - interval '2 hours', now() - interval '2 hours', {next_start}, '-infinity', "
            "%(ok)s, 3, interval '1 s', interval '1 s', 1, %(failures)s, 0, 0, 0, 0) ON CONFLICT (job_id) DO UPDATE "
            "SET last_start = excluded.last_start, last_finish = excluded.last_finish, "
            "next_start = excluded.next_start, last_run_success = excluded.last_run_success, "
            "total_failures = excluded.total_failures")


@pytest.mark.tsl
def test_catalog_figures_are_the_information_views_figures(tsl_seeded_db: TestDb) -> None:
    """Compressed chunks, a backlog, chunks past retention (a raw hypertable's and an aggregate's), and jobs that are
    late, stuck at -infinity, failing, on time: every figure equals the information views' (one connection at a
    time: the engine takes one client)."""
    with psycopg.connect(tsl_seeded_db.dsn, autocommit=True, row_factory=dict_row) as conn:
        conn.execute("SELECT compress_chunk(c) FROM show_chunks('llm_traces', older_than => interval '8 days') AS c")
        # Retention lowered on a hypertable and on an aggregate (whose policy names the view from 2.20 on), and
        # compression brought forward on another: chunks past either, none dropped or compressed (no scheduler).
        conn.execute("SELECT alter_job(job_id, config => jsonb_set(config, '{drop_after}', '\"1 day\"')) "
                     "FROM timescaledb_information.jobs WHERE proc_name = 'policy_retention' "
                     "AND hypertable_name IN ('llm_logs', 'llm_metrics_1min')")
        conn.execute("SELECT alter_job(job_id, config => jsonb_set(config, '{compress_after}', '\"1 day\"')) "
                     "FROM timescaledb_information.jobs WHERE proc_name = 'policy_compression' "
                     "AND hypertable_name = 'llm_metrics'")
        conn.execute("CREATE PROCEDURE public.fleet_job(job_id int, config jsonb) LANGUAGE plpgsql AS $$ BEGIN END $$")
        late, stuck, failing, on_time = (conn.execute("SELECT add_job('public.fleet_job', '1 hour') AS id")
                                         .fetchall()[0]["id"] for _ in range(4))
        # No scheduler runs on the tsl engine: the runs are written where TimescaleDB's scheduler writes them.
        for job, next_start, ok, failures in ((late, "now() - interval '1 hour'", True, 0),
                                              (stuck, "'-infinity'", True, 0),
                                              (failing, "now() + interval '1 hour'", False, 2),
                                              (on_time, "now() + interval '1 hour'", True, 0)):
            conn.execute(JOB_STAT.format(next_start=next_start), {"id": job, "ok": ok, "failures": failures})
        expected = conn.execute(REFERENCE).fetchone()
    assert expected is not None
    assert expected["compressed_chunks"] > 0 and expected["compression_backlog"] > 0, expected
    assert expected["retention_overdue"] > 0 and expected["overdue_jobs"] == 2, expected
    assert "fleet_job" in expected["failing_procs"], expected
    with FleetMonitor([fleet_targets.Target("tsl", ResolvedDsn(tsl_seeded_db.dsn, "test"))], timeout_s=10) as monitor:
        [status] = monitor.refresh().databases
    assert status.reachable and status.edition == "community", status
    assert (status.jobs, status.overdue_jobs, status.job_failures_total) == (
        expected["jobs"], expected["overdue_jobs"], expected["job_failures"])
    assert status.failing_jobs == len(expected["failing_procs"])
    assert (status.chunks, status.compressed_chunks, status.chunk_bytes) == (
        expected["chunks"], expected["compressed_chunks"], expected["chunk_bytes"])
    assert (status.compression_backlog, status.retention_overdue) == (
        expected["compression_backlog"], expected["retention_overdue"])
    assert status.compression_ratio == pytest.approx(expected["compression_ratio"])
    assert status.growth_bytes_per_day == pytest.approx(expected["growth_bytes_per_day"], rel=1e-3)
    assert any(f.text == "2 job(s) overdue" for f in status.findings), status.findings


def test_a_late_job_being_run_is_not_overdue(native_plain_db: TestDb) -> None:
    """fleet/running_jobs.sql, asked only when a job is late: a late job whose application name an active backend
    of the database carries (as timescaledb_information.job_stats judges "Running") is not counted overdue; one
    that no backend carries is."""
    running, idle = "Fleet Test Job [901]", "Fleet Test Job [902]"

    async def overdue() -> int:
        async with await psycopg.AsyncConnection.connect(native_plain_db.dsn, autocommit=True,
                                                         row_factory=dict_row) as conn:
            return await _not_running(conn, [running, idle])

    def run_the_job(conn: psycopg.Connection[tuple[object, ...]]) -> None:
        with contextlib.suppress(psycopg.errors.QueryCanceled):
            conn.execute("SELECT pg_sleep(60)")

    with psycopg.connect(native_plain_db.dsn, autocommit=True, application_name=running) as busy, \
            psycopg.connect(native_plain_db.dsn, autocommit=True) as admin:
        assert asyncio.run(overdue()) == 2  # nobody runs either yet
        job = threading.Thread(target=run_the_job, args=(busy,))  # the job's backend, active while the fleet looks
        job.start()
        try:
            deadline = time.monotonic() + 30
            while admin.execute("SELECT state FROM pg_stat_activity WHERE pid = %s",
                                (busy.info.backend_pid,)).fetchone() != ("active",):
                assert time.monotonic() < deadline, "the job's backend never became active"
                time.sleep(0.05)
            assert asyncio.run(overdue()) == 1
        finally:
            admin.execute("SELECT pg_cancel_backend(%s)", (busy.info.backend_pid,))
            job.join(30)
