-- bench --chunks: one log line per day for `count` days back from `end` (1-day chunks: one chunk each; `end` is
-- fixed for the whole build, so no two statements fall into the same interval).
INSERT INTO llm_logs (ts, span_id, service_name, log_level, message)
SELECT %(end)s::timestamptz - g * INTERVAL '1 day', g::text, 'bench', 'info', 'bench'
FROM generate_series(%(first)s::int, %(first)s::int + %(count)s::int - 1) AS g
