-- bench (sample query): every span of one trace (idx_traces_trace_id).
SELECT *
FROM llm_traces
WHERE trace_id = %(trace_id)s
ORDER BY ts
