-- Cost pane, step 2: cost per provider and model in a window and in the previous window of equal length, from
-- the hourly cost aggregate only (never llm_traces; {view} and its columns composed by psycopg from step 0). A bucket counts in a window when it
-- starts inside it: [start, end) and [previous_start, start). Buckets at or past the watermark are excluded, so
-- only materialized rows count even when the view is real-time (materialized_only = false). Costs are NUMERIC
-- sums of priced spans (NULL when none of the model's spans has a price); unpriced_requests counts spans with
-- no known price. Parameters: start, end, previous_start (timestamptz), mat_hypertable_id.
SELECT c.{provider} AS provider,
       c.{model} AS model,
       sum(c.{cost}) FILTER (WHERE c.{bucket} >= %(start)s)                              AS cost_usd,
       COALESCE(sum({requests}) FILTER (WHERE c.{bucket} >= %(start)s), 0)::bigint       AS requests,
       COALESCE(sum({unpriced}) FILTER (WHERE c.{bucket} >= %(start)s), 0)::bigint       AS unpriced_requests,
       COALESCE(sum({input_tokens}) FILTER (WHERE c.{bucket} >= %(start)s), 0)::bigint   AS input_tokens,
       COALESCE(sum({output_tokens}) FILTER (WHERE c.{bucket} >= %(start)s), 0)::bigint  AS output_tokens,
       sum(c.{cost}) FILTER (WHERE c.{bucket} < %(start)s)                               AS previous_cost_usd,
       COALESCE(sum({requests}) FILTER (WHERE c.{bucket} < %(start)s), 0)::bigint        AS previous_requests
FROM {view} AS c
WHERE c.{bucket} >= %(previous_start)s
  AND c.{bucket} < %(end)s
  AND c.{bucket} < _timescaledb_functions.to_timestamp(_timescaledb_functions.cagg_watermark(%(mat_hypertable_id)s))
GROUP BY c.{provider}, c.{model}
ORDER BY cost_usd DESC NULLS LAST, requests DESC, provider, model
