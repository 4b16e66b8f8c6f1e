-- A hypertable or continuous aggregate a policy can be set on, schema-qualified.
SELECT format('%%I.%%I', hypertable_schema, hypertable_name) AS relation, 'hypertable' AS kind
FROM timescaledb_information.hypertables
WHERE format('%%I.%%I', hypertable_schema, hypertable_name) = %(name)s OR hypertable_name = %(name)s
UNION ALL
SELECT format('%%I.%%I', view_schema, view_name), 'continuous aggregate'
FROM timescaledb_information.continuous_aggregates
WHERE format('%%I.%%I', view_schema, view_name) = %(name)s OR view_name = %(name)s
LIMIT 1
