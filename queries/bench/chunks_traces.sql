-- bench --chunks: one span per day for `count` days back from `end`, so each row opens its own 1-day chunk
-- (`end` is fixed for the whole build, so no two statements fall into the same interval).
INSERT INTO llm_traces (ts, trace_id, span_id, span_name, service_name, provider, model)
SELECT %(end)s::timestamptz - g * INTERVAL '1 day', 'bench', g::text, 'bench', 'bench', 'bench', 'bench'
FROM generate_series(%(first)s::int, %(first)s::int + %(count)s::int - 1) AS g
