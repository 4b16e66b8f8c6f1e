-- bench: spans loaded (exact; only run on the bench's own freshly loaded table).
SELECT count(*) FROM llm_traces
