-- bench --chunks: one span per day for `count` days ending now, so each row opens its own 1-day chunk.
INSERT INTO llm_traces (ts, trace_id, span_id, span_name, service_name, provider, model)
SELECT now() - g * INTERVAL '1 day', 'bench', g::text, 'bench', 'bench', 'bench', 'bench'
FROM generate_series(%(first)s::int, %(first)s::int + %(count)s::int - 1) AS g
