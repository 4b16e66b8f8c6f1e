-- Continuous aggregates of the current schema, their bucket width (read from the view's time_bucket call)
-- and their materialization hypertable.
SELECT view_name,
       materialization_hypertable_schema,
       materialization_hypertable_name,
       CASE WHEN view_definition ~ 'time_bucket\(''[^'']+''::interval'
            THEN substring(view_definition FROM 'time_bucket\(''([^'']+)''::interval')::interval
       END AS bucket
FROM timescaledb_information.continuous_aggregates
WHERE view_schema = current_schema()
