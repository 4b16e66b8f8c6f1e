-- seed: bulk-load hourly metric points (binary COPY; native engine). The column order is METRIC_COLUMNS.
COPY llm_metrics (
    ts, metric_name, provider, model, metric_type, unit, environment, value, sample_count,
    min_value, max_value, attributes
) FROM STDIN (FORMAT BINARY)
