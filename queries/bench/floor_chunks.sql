-- bench --chunks floor: the raw catalog read behind the chunk, compression and retention panes. Every chunk with
-- its hypertable, time range and compression state from TimescaleDB's own catalog tables, and its size from
-- pg_class.relpages (table and indexes; statistics, not a live measurement). TimescaleDB 2.13-2.28 catalog.
SELECT h.schema_name AS hypertable_schema, h.table_name AS hypertable_name,
       c.schema_name AS chunk_schema, c.table_name AS chunk_name,
       c.compressed_chunk_id IS NOT NULL AS is_compressed,
       ds.range_start, ds.range_end,
       cl.relpages AS table_pages,
       (SELECT COALESCE(sum(i.relpages), 0) FROM pg_index AS x JOIN pg_class AS i ON i.oid = x.indexrelid
        WHERE x.indrelid = cl.oid) AS index_pages
FROM _timescaledb_catalog.chunk AS c
JOIN _timescaledb_catalog.hypertable AS h ON h.id = c.hypertable_id
JOIN _timescaledb_catalog.chunk_constraint AS cc ON cc.chunk_id = c.id AND cc.dimension_slice_id IS NOT NULL
JOIN _timescaledb_catalog.dimension_slice AS ds ON ds.id = cc.dimension_slice_id
JOIN pg_namespace AS n ON n.nspname = c.schema_name
JOIN pg_class AS cl ON cl.relnamespace = n.oid AND cl.relname = c.table_name
WHERE NOT c.dropped
