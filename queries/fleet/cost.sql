-- Fleet, step 3 (where cost_analysis_hourly exists): cost per provider and model over the last 24 hours and in
-- the last complete hour, from the hourly continuous aggregate only (never llm_traces), counting materialized
-- buckets only (before the watermark), as the cost pane does.
SELECT c.provider, c.model,
       sum(c.total_cost_usd) FILTER (WHERE c.bucket >= now() - INTERVAL '24 hours')               AS cost_24h_usd,
       sum(c.total_cost_usd) FILTER (WHERE c.bucket = date_trunc('hour', now()) - INTERVAL '1 hour') AS last_hour_usd
FROM cost_analysis_hourly AS c
WHERE c.bucket >= now() - INTERVAL '24 hours'
  AND c.bucket < _timescaledb_functions.to_timestamp(_timescaledb_functions.cagg_watermark(
        (SELECT ca.mat_hypertable_id FROM _timescaledb_catalog.continuous_agg AS ca
          WHERE ca.user_view_name = 'cost_analysis_hourly'
            AND ca.user_view_schema = (SELECT n.nspname FROM pg_class AS k
                                       JOIN pg_namespace AS n ON n.oid = k.relnamespace
                                       WHERE k.oid = 'cost_analysis_hourly'::regclass))))
GROUP BY c.provider, c.model
ORDER BY cost_24h_usd DESC NULLS LAST, c.provider, c.model
