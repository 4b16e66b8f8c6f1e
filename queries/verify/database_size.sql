-- Database size and each hypertable's size (size functions only; no table scan).
SELECT current_database() AS database,
       pg_database_size(current_database()) AS database_bytes,
       coalesce((SELECT json_object_agg(hypertable_name, hypertable_size(format('%I.%I', hypertable_schema,
                 hypertable_name)::regclass))
                 FROM timescaledb_information.hypertables
                 WHERE hypertable_schema = current_schema()), '{}'::json) AS hypertable_bytes
