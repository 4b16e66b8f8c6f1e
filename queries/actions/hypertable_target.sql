-- A hypertable by name, with whether compression is enabled on it.
SELECT format('%%I.%%I', hypertable_schema, hypertable_name) AS hypertable, compression_enabled
FROM timescaledb_information.hypertables
WHERE format('%%I.%%I', hypertable_schema, hypertable_name) = %(name)s OR hypertable_name = %(name)s
ORDER BY hypertable_schema = 'public' DESC
LIMIT 1
