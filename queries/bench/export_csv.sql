-- bench: the rows the seeder just wrote, as CSV, for the psql \copy baseline (every column, table order).
-- A query, not `COPY llm_traces TO`: on a hypertable that form copies only the (empty) root table.
COPY (SELECT * FROM llm_traces) TO STDOUT (FORMAT csv)
