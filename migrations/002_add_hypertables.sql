-- 002: enable TimescaleDB and turn llm_traces, llm_metrics and llm_logs into hypertables on ts.
--
-- Chunk intervals: llm_traces 1 day, llm_metrics 1 hour (highest write rate, 37-day retention),
-- llm_logs 1 day. Uses the classic create_hypertable(relation, time_column, ...) signature, which is accepted
-- by TimescaleDB 2.13 through 2.23+ (the 2.13+ by_range() form is not needed) and works on the Apache edition.
-- if_not_exists => TRUE makes a re-run a no-op (NOTICE "table ... is already a hypertable, skipping").
-- create_default_indexes => FALSE: TimescaleDB would otherwise add a <table>_ts_idx B-tree on ts DESC even
-- though every primary key here already starts with ts; ts range scans use the primary key (and the BRIN
-- index of 003), so the extra index would only cost write throughput.
-- Space partitioning (add_dimension on provider) is deliberately not enabled; consider it beyond ~50M
-- spans/day.

CREATE EXTENSION IF NOT EXISTS timescaledb;

SELECT create_hypertable('llm_traces', 'ts',
    chunk_time_interval    => INTERVAL '1 day',
    create_default_indexes => FALSE,
    if_not_exists          => TRUE);

SELECT create_hypertable('llm_metrics', 'ts',
    chunk_time_interval    => INTERVAL '1 hour',
    create_default_indexes => FALSE,
    if_not_exists          => TRUE);

SELECT create_hypertable('llm_logs', 'ts',
    chunk_time_interval    => INTERVAL '1 day',
    create_default_indexes => FALSE,
    if_not_exists          => TRUE);
