-- bench --chunks: hypertables and chunks already in the target database (a one-database engine must hold none).
SELECT count(*) AS hypertables, COALESCE(sum(num_chunks), 0) AS chunks FROM timescaledb_information.hypertables
