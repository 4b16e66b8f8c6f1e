-- bench --chunks on a one-database engine: the range end of every chunk in the scratch schema, oldest first, so
-- they can be dropped a few hundred at a time.
SELECT hypertable_schema, hypertable_name, range_end
FROM timescaledb_information.chunks
WHERE hypertable_schema = %(schema)s AND range_end IS NOT NULL
ORDER BY hypertable_name, range_end
