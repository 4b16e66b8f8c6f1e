-- 003: secondary indexes: 15 on llm_traces, 2 on llm_metrics, 3 on llm_logs (20; primary keys not counted).
--
-- Plain CREATE INDEX (not CONCURRENTLY): it runs inside the runner's transaction, and TimescaleDB builds the
-- index on every existing chunk and on each new chunk. On a big, already-populated table build indexes by hand
-- first (CREATE INDEX ... WITH (timescaledb.transaction_per_chunk), outside a transaction), then run this file:
-- IF NOT EXISTS makes it skip them. Most B-trees carry ts DESC as the trailing key so "filter, newest first"
-- queries are served straight from the index.
--
-- Why 15 on llm_traces and not 16: the spec lists ten "primary" indexes (trace_id, provider, model, user_id,
-- session_id, status, cost, BRIN ts, GIN attributes, GIN tags) but counts nine. The one dropped is the
-- stand-alone status index: status has three values, so a B-tree on it alone is almost never chosen, and the
-- only selective status query (status = 'error') is served by the partial idx_traces_errors and by the
-- composite idx_traces_provider_status. Total: 9 primary + 3 composite + 3 partial = 15.

-- llm_traces: primary (9) ----------------------------------------------------------------------------------
CREATE INDEX IF NOT EXISTS idx_traces_trace_id   ON llm_traces (trace_id);
CREATE INDEX IF NOT EXISTS idx_traces_provider   ON llm_traces (provider, ts DESC);
CREATE INDEX IF NOT EXISTS idx_traces_model      ON llm_traces (model, ts DESC);
CREATE INDEX IF NOT EXISTS idx_traces_user_id    ON llm_traces (user_id, ts DESC);
CREATE INDEX IF NOT EXISTS idx_traces_session_id ON llm_traces (session_id, ts DESC);
-- "Most expensive spans" (ORDER BY total_cost_usd DESC NULLS LAST LIMIT n): unpriced (NULL) spans sort last.
CREATE INDEX IF NOT EXISTS idx_traces_total_cost ON llm_traces (total_cost_usd DESC NULLS LAST);
-- BRIN: a few KB per chunk, for wide time-range scans; rows arrive roughly in ts order.
CREATE INDEX IF NOT EXISTS idx_traces_ts_brin    ON llm_traces USING brin (ts);
-- GIN (default jsonb_ops): supports @>, ?, ?| and ?& on attributes.
CREATE INDEX IF NOT EXISTS idx_traces_attributes ON llm_traces USING gin (attributes);
CREATE INDEX IF NOT EXISTS idx_traces_tags       ON llm_traces USING gin (tags);

-- llm_traces: composite (3) --------------------------------------------------------------------------------
CREATE INDEX IF NOT EXISTS idx_traces_provider_status ON llm_traces (provider, status, ts DESC);
CREATE INDEX IF NOT EXISTS idx_traces_model_duration  ON llm_traces (model, duration_ms DESC);
-- Cost pane: covering index, so cost-by-provider/model over a time range is an index-only scan.
CREATE INDEX IF NOT EXISTS idx_traces_cost_analysis   ON llm_traces (provider, model, ts DESC)
    INCLUDE (input_cost_usd, output_cost_usd, total_cost_usd);

-- llm_traces: partial (3) ----------------------------------------------------------------------------------
-- Errors are a small fraction of spans: the recent-errors list reads only this index.
CREATE INDEX IF NOT EXISTS idx_traces_errors    ON llm_traces (ts DESC, provider, model)
    WHERE status = 'error';
-- Spans that cost more than 1 USD.
CREATE INDEX IF NOT EXISTS idx_traces_expensive ON llm_traces (total_cost_usd DESC, ts DESC)
    WHERE total_cost_usd > 1;
-- Spans slower than 5 s.
CREATE INDEX IF NOT EXISTS idx_traces_slow      ON llm_traces (duration_ms DESC, ts DESC)
    WHERE duration_ms > 5000;

-- llm_metrics (2) ------------------------------------------------------------------------------------------
CREATE INDEX IF NOT EXISTS idx_metrics_name_provider ON llm_metrics (metric_name, provider, ts DESC);
CREATE INDEX IF NOT EXISTS idx_metrics_environment   ON llm_metrics (environment, ts DESC);

-- llm_logs (3) ---------------------------------------------------------------------------------------------
CREATE INDEX IF NOT EXISTS idx_logs_trace_id  ON llm_logs (trace_id, span_id);
CREATE INDEX IF NOT EXISTS idx_logs_log_level ON llm_logs (log_level, ts DESC);
CREATE INDEX IF NOT EXISTS idx_logs_provider  ON llm_logs (provider, ts DESC);
