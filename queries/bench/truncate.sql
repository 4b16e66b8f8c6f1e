-- bench: empty llm_traces before each measured load (staging databases only; the CLI asks for --yes).
TRUNCATE llm_traces
