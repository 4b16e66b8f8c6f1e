-- seed: bulk-load logs (binary COPY; native engine). The column order is the generator's LOG_COLUMNS.
COPY llm_logs (
    ts, trace_id, span_id, service_name, provider, model, log_level, message, attributes
) FROM STDIN (FORMAT BINARY)
