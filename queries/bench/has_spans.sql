-- bench: does llm_traces hold any span? (bench empties it, so it asks for --yes first)
SELECT EXISTS (SELECT 1 FROM llm_traces) AS has_spans
