-- prices sync: one catalog price as a new effective-dated row; history is never updated or deleted. A row for
-- the same provider, model and date left by a concurrent sync is kept (RETURNING nothing then).
INSERT INTO model_pricing (provider, model, input_price_per_1k_usd, output_price_per_1k_usd,
                           cache_read_price_per_1k_usd, cache_write_price_per_1k_usd, effective_date)
VALUES (%(provider)s, %(model)s, %(input)s, %(output)s, %(cache_read)s, %(cache_write)s, %(effective_date)s)
ON CONFLICT (provider, model, effective_date) DO NOTHING
RETURNING id
