-- seed: insert a batch of logs on the tsl engine (binary arrays, one per column; message < 64 KiB).
INSERT INTO llm_logs (
    ts, trace_id, span_id, service_name, provider, model, log_level, message, attributes
)
SELECT u.ts, u.trace_id, u.span_id, u.service_name, u.provider, u.model, u.log_level, u.message, u.attributes::jsonb
FROM unnest(
    %(ts)b::timestamptz[], %(trace_id)b::text[], %(span_id)b::text[], %(service_name)b::text[],
    %(provider)b::text[], %(model)b::text[], %(log_level)b::text[], %(message)b::text[], %(attributes)b::text[]
) AS u (ts, trace_id, span_id, service_name, provider, model, log_level, message, attributes)
