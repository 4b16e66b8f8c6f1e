-- seed: insert a batch of spans on the tsl engine (no COPY FROM STDIN there; messages must stay < 64 KiB).
-- One parameter per column, each a binary array of the batch's values (column order: TRACE_COLUMNS);
-- attributes travel as JSON text, tags as one comma-separated text.
INSERT INTO llm_traces (
    ts, trace_id, span_id, parent_span_id, span_name, span_kind, service_name, operation_name,
    provider, request_model, model, response_id, input_tokens, output_tokens, total_tokens,
    cache_read_input_tokens, cache_creation_input_tokens, reasoning_output_tokens, input_cost_usd,
    output_cost_usd, total_cost_usd, duration_ms, time_to_first_token_ms, finish_reason, status,
    error_type, error_message, user_id, session_id, environment, server_address, attributes, tags
)
SELECT
    u.ts, u.trace_id, u.span_id, u.parent_span_id, u.span_name, u.span_kind, u.service_name, u.operation_name,
    u.provider, u.request_model, u.model, u.response_id, u.input_tokens, u.output_tokens, u.total_tokens,
    u.cache_read_input_tokens, u.cache_creation_input_tokens, u.reasoning_output_tokens, u.input_cost_usd,
    u.output_cost_usd, u.total_cost_usd, u.duration_ms, u.time_to_first_token_ms, u.finish_reason, u.status,
    u.error_type, u.error_message, u.user_id, u.session_id, u.environment, u.server_address,
    u.attributes::jsonb, string_to_array(u.tags, ',')
FROM unnest(
    %(ts)b::timestamptz[], %(trace_id)b::text[], %(span_id)b::text[], %(parent_span_id)b::text[],
    %(span_name)b::text[], %(span_kind)b::text[], %(service_name)b::text[], %(operation_name)b::text[],
    %(provider)b::text[], %(request_model)b::text[], %(model)b::text[], %(response_id)b::text[],
    %(input_tokens)b::int4[], %(output_tokens)b::int4[], %(total_tokens)b::int4[],
    %(cache_read_input_tokens)b::int4[], %(cache_creation_input_tokens)b::int4[],
    %(reasoning_output_tokens)b::int4[], %(input_cost_usd)b::numeric[], %(output_cost_usd)b::numeric[],
    %(total_cost_usd)b::numeric[], %(duration_ms)b::float8[], %(time_to_first_token_ms)b::float8[],
    %(finish_reason)b::text[], %(status)b::text[], %(error_type)b::text[], %(error_message)b::text[],
    %(user_id)b::text[], %(session_id)b::text[], %(environment)b::text[], %(server_address)b::text[],
    %(attributes)b::text[], %(tags)b::text[]
) AS u (
    ts, trace_id, span_id, parent_span_id, span_name, span_kind, service_name, operation_name,
    provider, request_model, model, response_id, input_tokens, output_tokens, total_tokens,
    cache_read_input_tokens, cache_creation_input_tokens, reasoning_output_tokens, input_cost_usd,
    output_cost_usd, total_cost_usd, duration_ms, time_to_first_token_ms, finish_reason, status,
    error_type, error_message, user_id, session_id, environment, server_address, attributes, tags
)
