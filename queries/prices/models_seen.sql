-- prices sync --models-seen: the distinct (provider, model) pairs of llm_traces without a full scan: a loose
-- index scan (recursive skip scan) over idx_traces_cost_analysis (provider, model, ts DESC), one index probe per
-- chunk for each distinct pair. Not the cost_analysis_hourly aggregate: it is materialized_only and lags behind
-- the newest spans, and the Apache edition has none.
WITH RECURSIVE seen (provider, model) AS (
    (SELECT t.provider, t.model FROM llm_traces AS t ORDER BY t.provider, t.model LIMIT 1)
    UNION ALL
    SELECT next.provider, next.model
    FROM seen AS s
    CROSS JOIN LATERAL (
        SELECT t.provider, t.model
        FROM llm_traces AS t
        WHERE (t.provider, t.model) > (s.provider, s.model)
        ORDER BY t.provider, t.model
        LIMIT 1
    ) AS next
)
SELECT provider, model FROM seen
