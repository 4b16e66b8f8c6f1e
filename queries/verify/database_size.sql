-- Database size (pg_database_size: one walk of the database's directory) and the exact size of each hypertable's
-- own relation and indexes (its root; the chunks are added from verify/chunk_sizes). No table scan.
SELECT current_database() AS database,
       pg_database_size(current_database()) AS database_bytes,
       coalesce((SELECT json_object_agg(hypertable_name, pg_total_relation_size(format('%I.%I', hypertable_schema,
                 hypertable_name)::regclass))
                 FROM timescaledb_information.hypertables
                 WHERE hypertable_schema = current_schema()), '{}'::json) AS hypertable_bytes
