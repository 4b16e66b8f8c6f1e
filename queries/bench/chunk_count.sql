-- bench --chunks: chunks per hypertable in this database (TimescaleDB's catalog view).
SELECT hypertable_name, num_chunks FROM timescaledb_information.hypertables ORDER BY hypertable_name
