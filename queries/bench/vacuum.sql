-- bench: fresh statistics and visibility map before timing queries (index-only scans need the map).
VACUUM (ANALYZE) llm_traces
