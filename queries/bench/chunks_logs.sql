-- bench --chunks: one log line per day for `count` days ending now (1-day chunks: one chunk each).
INSERT INTO llm_logs (ts, span_id, service_name, log_level, message)
SELECT now() - g * INTERVAL '1 day', g::text, 'bench', 'info', 'bench'
FROM generate_series(%(first)s::int, %(first)s::int + %(count)s::int - 1) AS g
