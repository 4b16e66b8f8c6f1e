-- bench (sample query): one provider's newest spans in a time range (idx_traces_provider).
SELECT ts, trace_id, span_id, model, status, duration_ms, total_cost_usd
FROM llm_traces
WHERE provider = %(provider)s AND ts >= %(start)s AND ts < %(end)s
ORDER BY ts DESC
LIMIT 100
