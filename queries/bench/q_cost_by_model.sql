-- bench (sample query): cost by provider and model over a time range (covering idx_traces_cost_analysis).
SELECT provider, model, count(*) AS spans, sum(input_cost_usd) AS input_cost_usd,
       sum(output_cost_usd) AS output_cost_usd, sum(total_cost_usd) AS total_cost_usd
FROM llm_traces
WHERE ts >= %(start)s AND ts < %(end)s
GROUP BY provider, model
ORDER BY total_cost_usd DESC NULLS LAST
