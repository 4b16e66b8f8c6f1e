-- seed aftercare: chunks and compressed chunks per hypertable, after the jobs ran.
SELECT hypertable_name, count(*) AS chunks, count(*) FILTER (WHERE is_compressed) AS compressed
FROM timescaledb_information.chunks
GROUP BY hypertable_name
ORDER BY hypertable_name
