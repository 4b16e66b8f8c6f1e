-- 004: continuous aggregates over llm_traces (1 minute, 1 hour, 1 day, hourly cost) and their refresh policies.
--
-- Runs inside the runner's transaction: every view is created WITH NO DATA (CREATE ... WITH DATA and
-- refresh_continuous_aggregate() refuse to run in a transaction block); the refresh policies fill them.
-- materialized_only = true (no real-time union with raw rows): the newest end_offset + schedule_interval of data
-- is not visible until the next refresh. Requires the TimescaleDB Community (TSL) edition.
-- Percentiles are computed per bucket (percentile_cont is exact but cannot be rolled up), which is why each
-- grain aggregates llm_traces directly instead of stacking on the finer view.
--
-- Refresh policies (window = [now - start_offset, now - end_offset], whole buckets only):
--   view                   bucket    schedule    start_offset  end_offset   retention (005)
--   llm_metrics_1min       1 minute  30 seconds  1 hour        1 minute     37 days
--   llm_metrics_1hour      1 hour    5 minutes   2 days        1 hour       210 days
--   llm_metrics_1day       1 day     1 hour      3 days        1 hour       1095 days
--   cost_analysis_hourly   1 hour    5 minutes   2 days        1 hour       210 days
-- Invariants: start_offset > end_offset + 2 buckets (TimescaleDB needs >= 2 buckets per window), and
-- start_offset < every retention involved (raw llm_traces: 90 days; the view's own drop_after): a refresh
-- window reaching into raw data already dropped would delete those buckets from the view, and one reaching past
-- the view's own retention would re-materialize buckets that retention just dropped.
-- Late spans (older than start_offset when they arrive) need a manual
-- CALL refresh_continuous_aggregate('<view>', '<from>', '<to>') outside a transaction.

-- Real-time dashboards: traffic, tokens, cost and latency per provider/model per minute.
CREATE MATERIALIZED VIEW IF NOT EXISTS llm_metrics_1min
WITH (timescaledb.continuous, timescaledb.materialized_only = true) AS
SELECT
    time_bucket(INTERVAL '1 minute', ts)                          AS bucket,
    provider,
    model,
    count(*)                                                      AS request_count,
    sum(input_tokens)                                             AS input_tokens,
    sum(output_tokens)                                            AS output_tokens,
    sum(total_tokens)                                             AS total_tokens,
    sum(total_cost_usd)                                           AS total_cost_usd,
    avg(duration_ms)                                              AS avg_duration_ms,
    percentile_cont(0.50) WITHIN GROUP (ORDER BY duration_ms)     AS p50_duration_ms,
    percentile_cont(0.95) WITHIN GROUP (ORDER BY duration_ms)     AS p95_duration_ms,
    percentile_cont(0.99) WITHIN GROUP (ORDER BY duration_ms)     AS p99_duration_ms
FROM llm_traces
GROUP BY time_bucket(INTERVAL '1 minute', ts), provider, model
WITH NO DATA;

COMMENT ON VIEW llm_metrics_1min IS
    'Continuous aggregate of llm_traces per 1-minute bucket, provider and model: requests, tokens, cost (USD; '
    'NULL-cost spans are not counted in the sum), avg/p50/p95/p99 duration_ms. Refreshed every 30 s '
    '(window now-1h .. now-1min); kept 37 days.';

-- Historical analysis: the 1-minute figures per hour plus errors.
CREATE MATERIALIZED VIEW IF NOT EXISTS llm_metrics_1hour
WITH (timescaledb.continuous, timescaledb.materialized_only = true) AS
SELECT
    time_bucket(INTERVAL '1 hour', ts)                            AS bucket,
    provider,
    model,
    count(*)                                                      AS request_count,
    sum(input_tokens)                                             AS input_tokens,
    sum(output_tokens)                                            AS output_tokens,
    sum(total_tokens)                                             AS total_tokens,
    sum(total_cost_usd)                                           AS total_cost_usd,
    avg(duration_ms)                                              AS avg_duration_ms,
    percentile_cont(0.50) WITHIN GROUP (ORDER BY duration_ms)     AS p50_duration_ms,
    percentile_cont(0.95) WITHIN GROUP (ORDER BY duration_ms)     AS p95_duration_ms,
    percentile_cont(0.99) WITHIN GROUP (ORDER BY duration_ms)     AS p99_duration_ms,
    count(*) FILTER (WHERE status = 'error')                      AS error_count,
    (count(*) FILTER (WHERE status = 'error'))::double precision
        / count(*)                                                AS error_rate
FROM llm_traces
GROUP BY time_bucket(INTERVAL '1 hour', ts), provider, model
WITH NO DATA;

COMMENT ON VIEW llm_metrics_1hour IS
    'Continuous aggregate of llm_traces per 1-hour bucket, provider and model: the llm_metrics_1min columns plus '
    'error_count and error_rate (0..1). Refreshed every 5 min (window now-2d .. now-1h); kept 210 days.';

-- Long-term trends: daily figures plus distinct users and sessions.
CREATE MATERIALIZED VIEW IF NOT EXISTS llm_metrics_1day
WITH (timescaledb.continuous, timescaledb.materialized_only = true) AS
SELECT
    time_bucket(INTERVAL '1 day', ts)                             AS bucket,
    provider,
    model,
    count(*)                                                      AS request_count,
    sum(input_tokens)                                             AS input_tokens,
    sum(output_tokens)                                            AS output_tokens,
    sum(total_tokens)                                             AS total_tokens,
    sum(total_cost_usd)                                           AS total_cost_usd,
    avg(duration_ms)                                              AS avg_duration_ms,
    percentile_cont(0.50) WITHIN GROUP (ORDER BY duration_ms)     AS p50_duration_ms,
    percentile_cont(0.95) WITHIN GROUP (ORDER BY duration_ms)     AS p95_duration_ms,
    percentile_cont(0.99) WITHIN GROUP (ORDER BY duration_ms)     AS p99_duration_ms,
    count(*) FILTER (WHERE status = 'error')                      AS error_count,
    (count(*) FILTER (WHERE status = 'error'))::double precision
        / count(*)                                                AS error_rate,
    count(DISTINCT user_id)                                       AS unique_users,
    count(DISTINCT session_id)                                    AS unique_sessions
FROM llm_traces
GROUP BY time_bucket(INTERVAL '1 day', ts), provider, model
WITH NO DATA;

COMMENT ON VIEW llm_metrics_1day IS
    'Continuous aggregate of llm_traces per 1-day bucket (UTC), provider and model: the llm_metrics_1hour '
    'columns plus unique_users and unique_sessions (distinct per day, provider and model; not additive across '
    'rows). Refreshed hourly (window now-3d .. now-1h); kept 1095 days.';

-- Chargeback and budgets: hourly cost per provider, model, end user and environment.
CREATE MATERIALIZED VIEW IF NOT EXISTS cost_analysis_hourly
WITH (timescaledb.continuous, timescaledb.materialized_only = true) AS
SELECT
    time_bucket(INTERVAL '1 hour', ts)                            AS bucket,
    provider,
    model,
    user_id,
    environment,
    count(*)                                                      AS request_count,
    count(*) FILTER (WHERE total_cost_usd IS NULL)                AS unpriced_request_count,
    sum(input_tokens)                                             AS input_tokens,
    sum(output_tokens)                                            AS output_tokens,
    sum(total_tokens)                                             AS total_tokens,
    sum(cache_read_input_tokens)                                  AS cache_read_input_tokens,
    sum(input_cost_usd)                                           AS input_cost_usd,
    sum(output_cost_usd)                                          AS output_cost_usd,
    sum(total_cost_usd)                                           AS total_cost_usd
FROM llm_traces
GROUP BY time_bucket(INTERVAL '1 hour', ts), provider, model, user_id, environment
WITH NO DATA;

COMMENT ON VIEW cost_analysis_hourly IS
    'Continuous aggregate of llm_traces per 1-hour bucket, provider, model, user_id and environment: requests, '
    'tokens and USD cost (input/output/total). Costs sum priced spans only; unpriced_request_count counts the '
    'spans with no known price. Refreshed every 5 min (window now-2d .. now-1h); kept 210 days.';

-- Refresh policies --------------------------------------------------------------------------------------------
SELECT add_continuous_aggregate_policy('llm_metrics_1min',
    start_offset      => INTERVAL '1 hour',
    end_offset        => INTERVAL '1 minute',
    schedule_interval => INTERVAL '30 seconds',
    if_not_exists     => TRUE);

SELECT add_continuous_aggregate_policy('llm_metrics_1hour',
    start_offset      => INTERVAL '2 days',
    end_offset        => INTERVAL '1 hour',
    schedule_interval => INTERVAL '5 minutes',
    if_not_exists     => TRUE);

SELECT add_continuous_aggregate_policy('llm_metrics_1day',
    start_offset      => INTERVAL '3 days',
    end_offset        => INTERVAL '1 hour',
    schedule_interval => INTERVAL '1 hour',
    if_not_exists     => TRUE);

SELECT add_continuous_aggregate_policy('cost_analysis_hourly',
    start_offset      => INTERVAL '2 days',
    end_offset        => INTERVAL '1 hour',
    schedule_interval => INTERVAL '5 minutes',
    if_not_exists     => TRUE);
