-- Cost pane, step 3: the hourly series (bucket, provider, model, cost, requests) for charts over [start, end),
-- from the hourly cost aggregate only ({view} and columns as in cost_by_model.sql), materialized buckets only (see cost_by_model.sql).
-- Parameters: start, end (timestamptz), mat_hypertable_id.
SELECT c.{bucket} AS bucket,
       c.{provider} AS provider,
       c.{model} AS model,
       sum(c.{cost})  AS cost_usd,
       sum({requests})::bigint AS requests
FROM {view} AS c
WHERE c.{bucket} >= %(start)s
  AND c.{bucket} < %(end)s
  AND c.{bucket} < _timescaledb_functions.to_timestamp(_timescaledb_functions.cagg_watermark(%(mat_hypertable_id)s))
GROUP BY c.{bucket}, c.{provider}, c.{model}
ORDER BY 1, 2, 3
