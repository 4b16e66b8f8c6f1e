-- seed: insert a batch of hourly metric points on the tsl engine (binary arrays, one per column).
INSERT INTO llm_metrics (
    ts, metric_name, provider, model, metric_type, unit, environment, value, sample_count,
    min_value, max_value, attributes
)
SELECT u.ts, u.metric_name, u.provider, u.model, u.metric_type, u.unit, u.environment, u.value, u.sample_count,
       u.min_value, u.max_value, u.attributes::jsonb
FROM unnest(
    %(ts)b::timestamptz[], %(metric_name)b::text[], %(provider)b::text[], %(model)b::text[],
    %(metric_type)b::text[], %(unit)b::text[], %(environment)b::text[], %(value)b::float8[],
    %(sample_count)b::int8[], %(min_value)b::float8[], %(max_value)b::float8[], %(attributes)b::text[]
) AS u (ts, metric_name, provider, model, metric_type, unit, environment, value, sample_count,
        min_value, max_value, attributes)
