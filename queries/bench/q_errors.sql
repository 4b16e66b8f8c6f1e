-- bench (sample query): the newest errors in a time range (partial index idx_traces_errors).
SELECT ts, provider, model, error_type, error_message
FROM llm_traces
WHERE status = 'error' AND ts >= %(start)s AND ts < %(end)s
ORDER BY ts DESC
LIMIT 100
