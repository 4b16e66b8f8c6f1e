-- Hypertables of the current schema with their primary (time) dimension.
SELECT h.hypertable_name, d.column_name, d.time_interval
FROM timescaledb_information.hypertables h
LEFT JOIN timescaledb_information.dimensions d
  ON d.hypertable_schema = h.hypertable_schema AND d.hypertable_name = h.hypertable_name AND d.dimension_number = 1
WHERE h.hypertable_schema = current_schema()
