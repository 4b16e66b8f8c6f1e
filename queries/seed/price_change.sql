-- seed: the SYNTHETIC mid-window price change (prices halved) added by `obsconsole seed` so the cost pane shows one.
-- Idempotent: a row for the same provider, model and effective_date is left as it is (RETURNING nothing then).
INSERT INTO model_pricing (provider, model, input_price_per_1k_usd, output_price_per_1k_usd, effective_date)
VALUES (%(provider)s, %(model)s, %(input)s, %(output)s, %(effective_date)s)
ON CONFLICT (provider, model, effective_date) DO NOTHING
RETURNING id
