-- bench --chunks floor: the hypertables, their time dimension and the continuous aggregates (information views).
SELECT d.hypertable_schema, d.hypertable_name, d.time_interval, d.integer_interval, ca.view_name
FROM timescaledb_information.dimensions AS d
LEFT JOIN timescaledb_information.continuous_aggregates AS ca
       ON ca.materialization_hypertable_schema = d.hypertable_schema
      AND ca.materialization_hypertable_name = d.hypertable_name
WHERE d.dimension_number = 1
