-- bench (sample query): the most expensive spans, over 1 USD (partial index idx_traces_expensive).
SELECT ts, provider, model, input_tokens, output_tokens, total_cost_usd
FROM llm_traces
WHERE total_cost_usd > 1
ORDER BY total_cost_usd DESC, ts DESC
LIMIT 50
