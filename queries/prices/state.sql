-- prices: is model_pricing there, which of the columns the console reads it lacks (renamed or dropped by hand),
-- has it migration 007's cache columns, today's date in UTC (the server's)
-- (whether this session may write is the write gate's question: console/infra/write_gate.py).
SELECT to_regclass('model_pricing') IS NOT NULL                                   AS has_table,
       ARRAY(SELECT c FROM unnest(ARRAY['provider', 'model', 'input_price_per_1k_usd', 'output_price_per_1k_usd',
                                        'effective_date']) AS c
             WHERE NOT EXISTS (SELECT 1 FROM pg_attribute
                               WHERE attrelid = to_regclass('model_pricing') AND attname = c
                                 AND NOT attisdropped))                          AS missing_columns,
       EXISTS (SELECT 1 FROM pg_attribute
               WHERE attrelid = to_regclass('model_pricing')
                 AND attname IN ('cache_read_price_per_1k_usd', 'cache_write_price_per_1k_usd')
                 AND NOT attisdropped
               HAVING count(*) = 2)                                              AS has_cache_columns,
       (now() AT TIME ZONE 'UTC')::date                                          AS today,
       to_regclass('llm_traces') IS NOT NULL                                     AS has_traces
