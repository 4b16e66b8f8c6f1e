-- prices: every model_pricing row (a small table), oldest first per model. The cache prices are read through
-- to_jsonb so the same statement works before migration 007 (they are NULL then).
SELECT mp.provider,
       mp.model,
       mp.input_price_per_1k_usd                                 AS input,
       mp.output_price_per_1k_usd                                AS output,
       (to_jsonb(mp) ->> 'cache_read_price_per_1k_usd')::numeric  AS cache_read,
       (to_jsonb(mp) ->> 'cache_write_price_per_1k_usd')::numeric AS cache_write,
       mp.effective_date
FROM model_pricing AS mp
ORDER BY mp.provider, mp.model, mp.effective_date
