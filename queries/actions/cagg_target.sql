-- A continuous aggregate by its view name, with the hypertable it reads.
SELECT format('%%I.%%I', view_schema, view_name) AS view, format('%%I.%%I', hypertable_schema, hypertable_name) AS source,
       materialized_only
FROM timescaledb_information.continuous_aggregates
WHERE format('%%I.%%I', view_schema, view_name) = %(name)s OR view_name = %(name)s
ORDER BY view_schema = 'public' DESC
LIMIT 1
