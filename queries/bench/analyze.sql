-- bench --chunks: statistics for every chunk (TimescaleDB expands ANALYZE of a hypertable to its chunks), as
-- autovacuum keeps them on a production catalog; one row per chunk would otherwise never trigger it.
ANALYZE llm_traces, llm_metrics, llm_logs
