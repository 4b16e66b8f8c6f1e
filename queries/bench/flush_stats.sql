-- bench --chunks, before its ANALYZE (PostgreSQL 15+): this backend's pending activity statistics (the rows it
-- just inserted) reach shared memory as this statement ends, not up to a second later, after the ANALYZE reset
-- them: else the chunks written last looked modified since their ANALYZE, and were measured as hot ones.
SELECT pg_stat_force_next_flush()
