-- seed: bulk-load spans (binary COPY; native engine). The column order is the generator's TRACE_COLUMNS.
COPY llm_traces (
    ts, trace_id, span_id, parent_span_id, span_name, span_kind, service_name, operation_name,
    provider, request_model, model, response_id, input_tokens, output_tokens, total_tokens,
    cache_read_input_tokens, cache_creation_input_tokens, reasoning_output_tokens, input_cost_usd,
    output_cost_usd, total_cost_usd, duration_ms, time_to_first_token_ms, finish_reason, status,
    error_type, error_message, user_id, session_id, environment, server_address, attributes, tags
) FROM STDIN (FORMAT BINARY)
