-- Fleet, step 3 (where cost_analysis_hourly exists): cost per provider and model over the last 24 hours and in
-- the latest materialized hour, from the hourly continuous aggregate only (never llm_traces), counting
-- materialized buckets only (before the watermark), as the cost pane does.
WITH buckets AS (
    SELECT c.bucket, c.provider, c.model, c.total_cost_usd
    FROM cost_analysis_hourly AS c
    WHERE c.bucket >= now() - INTERVAL '24 hours'
      AND c.bucket < _timescaledb_functions.to_timestamp(_timescaledb_functions.cagg_watermark(
            (SELECT ca.mat_hypertable_id FROM _timescaledb_catalog.continuous_agg AS ca
              JOIN pg_class AS k ON k.relname = ca.user_view_name
              JOIN pg_namespace AS n ON n.oid = k.relnamespace AND n.nspname = ca.user_view_schema
              WHERE k.oid = 'cost_analysis_hourly'::regclass)))
)
SELECT b.provider, b.model,
       sum(b.total_cost_usd)                                                              AS cost_24h_usd,
       sum(b.total_cost_usd) FILTER (WHERE b.bucket = (SELECT max(bucket) FROM buckets)) AS last_hour_usd
FROM buckets AS b
GROUP BY b.provider, b.model
ORDER BY cost_24h_usd DESC NULLS LAST, b.provider, b.model
