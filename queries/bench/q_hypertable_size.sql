-- bench (catalog): llm_traces' size split into table, index and toast bytes.
SELECT * FROM hypertable_detailed_size('llm_traces')
