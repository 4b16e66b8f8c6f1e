-- seed: the effective-dated price list (USD per 1,000 tokens) the span costs are computed from.
SELECT provider, model, input_price_per_1k_usd, output_price_per_1k_usd, effective_date
FROM model_pricing
ORDER BY provider, model, effective_date
