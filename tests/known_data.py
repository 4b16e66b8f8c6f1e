"""Rows with known answers shared by the pane and health tests (inserted with plain SQL, server-side)."""

from __future__ import annotations

import time
from typing import Any

import psycopg
import pytest

Conn = psycopg.Connection[Any]

# ~10 days of spans, one every 37 minutes, four models; the fourth ('mystery-1') has no price (NULL cost).
SEED_TRACES = """
INSERT INTO llm_traces (ts, trace_id, span_id, span_name, service_name, provider, model, input_tokens, output_tokens,
                        total_tokens, input_cost_usd, output_cost_usd, total_cost_usd, duration_ms, status, user_id,
                        environment)
SELECT now() - interval '10 days' + n * interval '37 minutes', md5(n::text), left(md5('s' || n), 16), 'chat', 'svc',
       (ARRAY['openai', 'anthropic', 'gcp.gemini', 'acme'])[1 + n % 4],
       (ARRAY['gpt-4o', 'claude-sonnet-4', 'gemini-2.5-flash', 'mystery-1'])[1 + n % 4],
       100 + n % 50, 20 + n % 7, 120 + n % 50 + n % 7,
       CASE WHEN n % 4 <> 3 THEN (100 + n % 50) * 0.0000025 END,
       CASE WHEN n % 4 <> 3 THEN (20 + n % 7) * 0.00001 END,
       CASE WHEN n % 4 <> 3 THEN (100 + n % 50) * 0.0000025 + (20 + n % 7) * 0.00001 END,
       50 + n % 300, CASE WHEN n % 17 = 0 THEN 'error' ELSE 'ok' END, 'u' || n % 5, 'prod'
FROM generate_series(0, 389) AS n
"""
# Logs: one an hour for 10 days, plus three older than llm_logs' 37-day retention (overdue: the job is not run).
SEED_LOGS = """
INSERT INTO llm_logs (ts, trace_id, span_id, service_name, log_level, message)
SELECT now() - interval '10 days' + n * interval '1 hour', md5(n::text), '', 'svc', 'info', 'line ' || n
FROM generate_series(0, 239) AS n
"""
SEED_OLD_LOGS = """
INSERT INTO llm_logs (ts, trace_id, service_name, log_level, message)
SELECT now() - interval '40 days' - n * interval '1 day', 'old' || n, 'svc', 'warn', 'old ' || n
FROM generate_series(0, 2) AS n
"""
SEED_METRICS = """
INSERT INTO llm_metrics (ts, metric_name, provider, model, value)
SELECT now() - interval '2 days' + n * interval '10 minutes', 'gen_ai.client.token.usage', 'openai', 'gpt-4o', n
FROM generate_series(0, 287) AS n
"""
# One day of llm_logs ~30x bigger than the others: a skewed chunk.
SEED_BULK_LOGS = """
INSERT INTO llm_logs (ts, trace_id, service_name, log_level, message)
SELECT date_trunc('day', now()) - interval '5 days' + n * interval '1 second', 'bulk' || n, 'svc', 'info',
       repeat('x', 200)
FROM generate_series(1, 5000) AS n
"""


def connect(dsn: str) -> Conn:
    return psycopg.connect(dsn, autocommit=True, prepare_threshold=None)


def wait_for_builtin_job_failure(conn: Conn, limit_s: float = 60) -> None:
    """The native engine's scheduler runs built-in job 3 soon after the extension is created (alter_job and
    run_job are refused on Apache, so it cannot be hurried): wait for its first, failing, run."""
    deadline = time.monotonic() + limit_s
    while time.monotonic() < deadline:
        row = conn.execute("SELECT last_run_status FROM timescaledb_information.job_stats WHERE job_id = 3").fetchone()
        if row == ("Failed",):
            return
        time.sleep(0.2)
    pytest.fail(f"built-in job 3 did not run within {limit_s} s")


# No scheduler runs on the tsl engine (and a CALL run_job is not counted): a failed run is written where
# TimescaleDB's scheduler writes it.
FAILED_RUN = ("INSERT INTO _timescaledb_internal.bgw_job_stat (job_id, last_start, last_finish, next_start, "
              "last_successful_finish, last_run_success, total_runs, total_duration, total_duration_failures, "
              "total_successes, total_failures, total_crashes, consecutive_failures, consecutive_crashes, "
              "flags) VALUES (%s, now(), now(), now() + interval '1 day', '-infinity', false, 1, "
              "interval '1 s', interval '1 s', 0, 1, 0, 1, 0, 0) ON CONFLICT (job_id) DO UPDATE SET "
              "last_start = excluded.last_start, last_finish = excluded.last_finish, last_run_success = false, "
              "total_runs = 1, total_failures = 1, consecutive_failures = 1")


def write_failed_run(conn: Conn, job_id: object) -> None:
    """Job `job_id`'s statistics as the scheduler leaves them after one failed run."""
    conn.execute(FAILED_RUN, (job_id,))
