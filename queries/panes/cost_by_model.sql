-- Cost pane, step 2: cost per provider and model in a window and in the previous window of equal length, from
-- the hourly cost aggregate only (never llm_traces; {view} and its columns composed by psycopg from step 0). A bucket counts in a window when it
-- starts inside it: [start, end) and [previous_start, start). Buckets at or past the watermark are excluded, so
-- only materialized rows count even when the view is real-time (materialized_only = false). Costs are NUMERIC
-- sums of priced spans (NULL when none of the model's spans has a price); unpriced_requests counts spans with
-- no known price.
-- The comparison pairs bucket k of the window with bucket k of the previous one (one window length earlier) and
-- counts only the pairs where both buckets hold data (any model): paired_cost_usd is the window's cost over those
-- buckets, previous_cost_usd and previous_requests the previous window's over theirs. previous_buckets counts the
-- previous window's buckets holding data (its coverage), paired_buckets the pairs (the same on every row).
-- Parameters: start, end, previous_start (timestamptz), mat_hypertable_id.
WITH hourly AS (
    SELECT c.{bucket} AS bucket,
           c.{provider} AS provider,
           c.{model} AS model,
           c.{cost} AS cost,
           {requests} AS requests,
           {unpriced} AS unpriced,
           {input_tokens} AS input_tokens,
           {output_tokens} AS output_tokens
    FROM {view} AS c
    WHERE c.{bucket} >= %(previous_start)s
      AND c.{bucket} < %(end)s
      AND c.{bucket} < _timescaledb_functions.to_timestamp(_timescaledb_functions.cagg_watermark(%(mat_hypertable_id)s))
),
held AS (
    SELECT DISTINCT bucket FROM hourly
),
paired AS (
    SELECT now_.bucket AS bucket, before_.bucket AS previous_bucket
    FROM held AS now_
    JOIN held AS before_
      ON before_.bucket = now_.bucket - (%(start)s::timestamptz - %(previous_start)s::timestamptz)
    WHERE now_.bucket >= %(start)s
      AND before_.bucket < %(start)s
),
counts AS (
    SELECT (SELECT count(*) FROM held WHERE bucket < %(start)s)::int AS previous_buckets,
           (SELECT count(*) FROM paired)::int                       AS paired_buckets
)
SELECT h.provider,
       h.model,
       sum(h.cost) FILTER (WHERE h.bucket >= %(start)s)                                       AS cost_usd,
       COALESCE(sum(h.requests) FILTER (WHERE h.bucket >= %(start)s), 0)::bigint              AS requests,
       COALESCE(sum(h.unpriced) FILTER (WHERE h.bucket >= %(start)s), 0)::bigint              AS unpriced_requests,
       COALESCE(sum(h.input_tokens) FILTER (WHERE h.bucket >= %(start)s), 0)::bigint          AS input_tokens,
       COALESCE(sum(h.output_tokens) FILTER (WHERE h.bucket >= %(start)s), 0)::bigint         AS output_tokens,
       sum(h.cost) FILTER (WHERE h.bucket IN (SELECT bucket FROM paired))                     AS paired_cost_usd,
       sum(h.cost) FILTER (WHERE h.bucket IN (SELECT previous_bucket FROM paired))            AS previous_cost_usd,
       COALESCE(sum(h.requests) FILTER (WHERE h.bucket IN (SELECT previous_bucket FROM paired)), 0)::bigint
                                                                                               AS previous_requests,
       min(k.previous_buckets)                                                                AS previous_buckets,
       min(k.paired_buckets)                                                                  AS paired_buckets
FROM hourly AS h
CROSS JOIN counts AS k
GROUP BY h.provider, h.model
ORDER BY cost_usd DESC NULLS LAST, requests DESC, h.provider, h.model
