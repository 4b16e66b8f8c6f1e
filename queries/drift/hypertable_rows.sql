-- Rows per hypertable from the catalog's estimate (chunk statistics), never a count over the table.
SELECT CASE WHEN hypertable_schema = 'public' THEN '' ELSE hypertable_schema || '.' END || hypertable_name AS name,
       greatest(approximate_row_count(format('%I.%I', hypertable_schema, hypertable_name)::regclass), 0) AS rows
FROM timescaledb_information.hypertables
