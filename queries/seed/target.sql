-- seed/bench: what the target is (engine build, edition) and which of the tables the seeder fills exist.
SELECT
    version()                                                  AS version,
    current_setting('timescaledb.license', true)               AS license,
    to_regclass('llm_traces') IS NOT NULL                      AS has_traces,
    to_regclass('llm_logs') IS NOT NULL                        AS has_logs,
    to_regclass('llm_metrics') IS NOT NULL                     AS has_metrics,
    to_regclass('model_pricing') IS NOT NULL                   AS has_pricing,
    EXISTS (SELECT 1 FROM pg_attribute                         -- migration 007's cache prices
            WHERE attrelid = to_regclass('model_pricing')
              AND attname = 'cache_read_price_per_1k_usd' AND NOT attisdropped) AS has_cache_prices
