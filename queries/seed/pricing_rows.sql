-- seed: the effective-dated price list (USD per 1,000 tokens) the span costs are computed from. The cache prices
-- (migration 007) are read through to_jsonb so the statement works before 007 too (NULL then).
SELECT mp.provider, mp.model, mp.input_price_per_1k_usd, mp.output_price_per_1k_usd, mp.effective_date,
       (to_jsonb(mp) ->> 'cache_read_price_per_1k_usd')::numeric  AS cache_read_price_per_1k_usd,
       (to_jsonb(mp) ->> 'cache_write_price_per_1k_usd')::numeric AS cache_write_price_per_1k_usd
FROM model_pricing AS mp
ORDER BY mp.provider, mp.model, mp.effective_date
