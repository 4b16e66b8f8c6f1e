-- Cost pane, step 3: the hourly series (bucket, provider, model, cost, requests) for charts over [start, end),
-- from cost_analysis_hourly only, materialized buckets only (see cost_by_model.sql).
-- Parameters: start, end (timestamptz), mat_hypertable_id.
SELECT c.bucket,
       c.provider,
       c.model,
       sum(c.total_cost_usd)  AS cost_usd,
       sum(c.request_count)::bigint AS requests
FROM cost_analysis_hourly AS c
WHERE c.bucket >= %(start)s
  AND c.bucket < %(end)s
  AND c.bucket < _timescaledb_functions.to_timestamp(_timescaledb_functions.cagg_watermark(%(mat_hypertable_id)s))
GROUP BY c.bucket, c.provider, c.model
ORDER BY c.bucket, c.provider, c.model
