-- seed: the SYNTHETIC mid-window price change (prices halved, cache prices too) where model_pricing has migration
-- 007's cache columns; seed/price_change.sql otherwise. Idempotent: an existing row for the same provider, model and
-- effective_date is left as it is (RETURNING nothing then).
INSERT INTO model_pricing (provider, model, input_price_per_1k_usd, output_price_per_1k_usd,
                           cache_read_price_per_1k_usd, cache_write_price_per_1k_usd, effective_date)
VALUES (%(provider)s, %(model)s, %(input)s, %(output)s, %(cache_read)s, %(cache_write)s, %(effective_date)s)
ON CONFLICT (provider, model, effective_date) DO NOTHING
RETURNING id
