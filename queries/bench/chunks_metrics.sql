-- bench --chunks: one metric point per hour for `count` hours back from `end` (1-hour chunks: one chunk each;
-- `end` is fixed for the whole build, so no two statements fall into the same interval).
INSERT INTO llm_metrics (ts, metric_name, provider, model, value)
SELECT %(end)s::timestamptz - g * INTERVAL '1 hour', 'bench', 'bench', 'bench', g
FROM generate_series(%(first)s::int, %(first)s::int + %(count)s::int - 1) AS g
