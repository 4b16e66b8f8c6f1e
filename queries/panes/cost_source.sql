-- Cost pane, step 0: where the hourly cost lives. Every continuous aggregate on the search path with a one-hour
-- bucket, its columns and the column its bucket is stored in (the materialization hypertable's time dimension);
-- cost_analysis_hourly first, then by schema order and name. The pane picks the first that carries provider,
-- model and a cost column (catalogs only; TimescaleDB 2.14+ keeps bucket widths in continuous_aggs_bucket_function).
SELECT ca.view_schema,
       ca.view_name,
       c.mat_hypertable_id,
       d.column_name                                               AS bucket_column,
       array_agg(a.attname::text ORDER BY a.attnum)                AS columns
FROM timescaledb_information.continuous_aggregates AS ca
JOIN _timescaledb_catalog.continuous_agg AS c
  ON c.user_view_schema = ca.view_schema AND c.user_view_name = ca.view_name
JOIN _timescaledb_catalog.continuous_aggs_bucket_function AS f ON f.mat_hypertable_id = c.mat_hypertable_id
JOIN timescaledb_information.dimensions AS d
  ON d.hypertable_schema = ca.materialization_hypertable_schema
 AND d.hypertable_name = ca.materialization_hypertable_name AND d.dimension_number = 1
JOIN pg_attribute AS a
  ON a.attrelid = format('%I.%I', ca.view_schema, ca.view_name)::regclass AND a.attnum > 0 AND NOT a.attisdropped
WHERE ca.view_schema = ANY (current_schemas(false))
  AND f.bucket_width ~ '^[0-9:]+$' AND f.bucket_width::interval = INTERVAL '1 hour'
GROUP BY ca.view_schema, ca.view_name, c.mat_hypertable_id, d.column_name
ORDER BY ca.view_name <> 'cost_analysis_hourly', array_position(current_schemas(false), ca.view_schema::name),
         ca.view_name
