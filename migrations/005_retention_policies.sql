-- 005: compression settings and policies for the 3 hypertables, retention policies for all 7 time-series objects.
--
-- Requires the TimescaleDB Community (TSL) edition (the Apache edition rejects all of it with SQLSTATE 0A000).
-- Data lifecycle:
--   object                 compress after   drop after   note
--   llm_traces             7 days           90 days      7 d row store + 83 d compressed
--   llm_metrics            7 days           37 days      7 d row store + 30 d compressed
--   llm_logs               7 days           37 days
--   llm_metrics_1min       -                37 days
--   llm_metrics_1hour      -                210 days     ~7 months
--   llm_metrics_1day       -                1095 days    3 years
--   cost_analysis_hourly   -                210 days     chargeback history
-- Every retention here is longer than the refresh start_offset of the aggregates (004): retention on llm_traces
-- never drops data a refresh window still covers, so materialized buckets are not erased by a later refresh.
-- Compression: segment by the columns the panes filter on (rows of one provider/model are stored together),
-- newest first inside a segment. Changing these settings later needs the compressed chunks decompressed first.

-- Compression settings -----------------------------------------------------------------------------------------
-- ALTER TABLE ... SET (timescaledb.compress ...) is re-runnable when the settings are unchanged, also once chunks
-- are compressed (verified on TimescaleDB 2.23), so no guard is needed.
ALTER TABLE llm_traces SET (
    timescaledb.compress,
    timescaledb.compress_segmentby = 'provider, model',
    timescaledb.compress_orderby   = 'ts DESC');

ALTER TABLE llm_metrics SET (
    timescaledb.compress,
    timescaledb.compress_segmentby = 'provider, model, metric_name',
    timescaledb.compress_orderby   = 'ts DESC');

ALTER TABLE llm_logs SET (
    timescaledb.compress,
    timescaledb.compress_segmentby = 'provider, log_level',
    timescaledb.compress_orderby   = 'ts DESC');

-- Compression policies (proc_name policy_compression, config.compress_after) ----------------------------------
SELECT add_compression_policy('llm_traces',  INTERVAL '7 days', if_not_exists => TRUE);
SELECT add_compression_policy('llm_metrics', INTERVAL '7 days', if_not_exists => TRUE);
SELECT add_compression_policy('llm_logs',    INTERVAL '7 days', if_not_exists => TRUE);

-- Retention policies (proc_name policy_retention, config.drop_after) ------------------------------------------
SELECT add_retention_policy('llm_traces',           INTERVAL '90 days',   if_not_exists => TRUE);
SELECT add_retention_policy('llm_metrics',          INTERVAL '37 days',   if_not_exists => TRUE);
SELECT add_retention_policy('llm_logs',             INTERVAL '37 days',   if_not_exists => TRUE);
SELECT add_retention_policy('llm_metrics_1min',     INTERVAL '37 days',   if_not_exists => TRUE);
SELECT add_retention_policy('llm_metrics_1hour',    INTERVAL '210 days',  if_not_exists => TRUE);
SELECT add_retention_policy('llm_metrics_1day',     INTERVAL '1095 days', if_not_exists => TRUE);
SELECT add_retention_policy('cost_analysis_hourly', INTERVAL '210 days',  if_not_exists => TRUE);
