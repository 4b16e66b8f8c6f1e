-- bench: parameters for the sample queries, taken from the loaded data: the newest day, its busiest provider,
-- and the trace with the most spans in it.
WITH latest AS (SELECT max(ts) AS newest FROM llm_traces)
SELECT
    newest - INTERVAL '1 day' AS start,
    newest + INTERVAL '1 microsecond' AS "end",
    (SELECT provider FROM llm_traces, latest l WHERE ts > l.newest - INTERVAL '1 day'
     GROUP BY provider ORDER BY count(*) DESC, provider LIMIT 1) AS provider,
    (SELECT trace_id FROM llm_traces, latest l WHERE ts > l.newest - INTERVAL '1 day'
     GROUP BY trace_id ORDER BY count(*) DESC, trace_id LIMIT 1) AS trace_id
FROM latest
