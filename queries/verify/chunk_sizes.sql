-- Every chunk of every hypertable (continuous aggregates' materialization hypertables included, labelled by the
-- view's name) with its size, cheaply enough for 10,000+ chunks. A chunk's size comes from the catalog's
-- statistics (pg_class.relpages of the chunk, its TOAST table and their indexes: the page counts of their main
-- forks as the last VACUUM or ANALYZE saw them; an index's may lag by a page or two) when nothing changed in it
-- since its last ANALYZE; it is measured exactly (pg_total_relation_size) only for chunks written since (the hot
-- ones) or never analyzed; a compressed chunk's size is the one recorded when it was compressed (compression
-- stats: a catalog read). Chunks are found through pg_inherits (they inherit from their hypertable).
-- TimescaleDB 2.13+, both editions.
WITH objects AS (
    SELECT h.hypertable_schema AS object_schema, h.hypertable_name AS object_name,
           h.hypertable_schema AS ht_schema, h.hypertable_name AS ht_name,
           format('%I.%I', h.hypertable_schema, h.hypertable_name)::regclass AS root
    FROM timescaledb_information.hypertables AS h
    UNION ALL
    SELECT ca.view_schema, ca.view_name, ca.materialization_hypertable_schema, ca.materialization_hypertable_name,
           format('%I.%I', ca.materialization_hypertable_schema, ca.materialization_hypertable_name)::regclass
    FROM timescaledb_information.continuous_aggregates AS ca
),
compressed AS (
    SELECT s.chunk_schema, s.chunk_name, s.after_compression_total_bytes AS bytes
    FROM objects AS o
    CROSS JOIN LATERAL chunk_compression_stats(o.root) AS s
    WHERE s.compression_status = 'Compressed'
),
chunks AS (
    SELECT o.object_schema, o.object_name, o.ht_schema, o.ht_name, n.nspname AS chunk_schema,
           cl.relname AS chunk_name, cl.oid AS rel, cl.relpages, cl.reltuples, cl.reltoastrelid
    FROM objects AS o
    JOIN pg_inherits AS i ON i.inhparent = o.root
    JOIN pg_class AS cl ON cl.oid = i.inhrelid
    JOIN pg_namespace AS n ON n.oid = cl.relnamespace
),
judged AS (
    SELECT ch.*, cz.bytes AS compressed_bytes,
           ch.reltuples < 0 OR pg_stat_get_mod_since_analyze(ch.rel) > 0 AS hot
    FROM chunks AS ch
    LEFT JOIN compressed AS cz ON cz.chunk_schema = ch.chunk_schema AND cz.chunk_name = ch.chunk_name
)
SELECT j.object_schema, j.object_name, j.ht_schema AS hypertable_schema, j.ht_name AS hypertable_name,
       j.chunk_name,
       j.compressed_bytes IS NOT NULL AS is_compressed,
       CASE WHEN j.compressed_bytes IS NOT NULL THEN 'compression stats'
            WHEN j.hot THEN 'exact'
            ELSE 'statistics' END AS measured,
       CASE WHEN j.compressed_bytes IS NOT NULL THEN j.compressed_bytes
            WHEN j.hot THEN pg_total_relation_size(j.rel)
            ELSE (j.relpages::bigint
                  + COALESCE((SELECT t.relpages FROM pg_class AS t WHERE t.oid = j.reltoastrelid), 0)
                  + COALESCE((SELECT sum(i.relpages) FROM pg_index AS x JOIN pg_class AS i ON i.oid = x.indexrelid
                              WHERE x.indrelid IN (j.rel, j.reltoastrelid)), 0))
                 * current_setting('block_size')::bigint
       END AS total_bytes
FROM judged AS j
ORDER BY j.object_schema, j.object_name, j.chunk_name
