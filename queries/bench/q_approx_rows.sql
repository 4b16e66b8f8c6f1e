-- bench (catalog): llm_traces' row count from statistics (never count(*) a hypertable in a pane).
SELECT approximate_row_count('llm_traces')
