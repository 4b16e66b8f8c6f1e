-- bench --chunks: one metric point per hour for `count` hours ending now (1-hour chunks: one chunk each).
INSERT INTO llm_metrics (ts, metric_name, provider, model, value)
SELECT now() - g * INTERVAL '1 hour', 'bench', 'bench', 'bench', g
FROM generate_series(%(first)s::int, %(first)s::int + %(count)s::int - 1) AS g
