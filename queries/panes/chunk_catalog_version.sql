-- What changes whenever chunk_catalog.sql would answer differently, read on every refresh instead of it: chunks
-- created or dropped (count and sum of ids: new ids only grow), compressed or decompressed (compressed chunk ids,
-- status); hypertables and continuous aggregates added, removed or renamed; chunk intervals changed. A chunk
-- renamed in place (rare: only a user does it) shows in the chunk catalog's update counter, which the server's
-- statistics report within seconds. One pass over TimescaleDB's chunk catalog table (no join, no relation
-- opened), the small catalog tables whole, and the server's clock.
SELECT (SELECT row(count(*), sum(c.id), sum(c.compressed_chunk_id), sum(c.status))::text
        FROM _timescaledb_catalog.chunk AS c WHERE NOT c.dropped)                        AS chunks,
       pg_stat_get_tuples_updated('_timescaledb_catalog.chunk'::regclass)                AS chunk_updates,
       (SELECT string_agg(concat_ws(':', h.id, h.schema_name, h.table_name, h.compression_state), ','
                          ORDER BY h.id)
        FROM _timescaledb_catalog.hypertable AS h)                                       AS hypertables,
       (SELECT string_agg(concat_ws(':', d.id, d.hypertable_id, d.interval_length, d.column_type), ','
                          ORDER BY d.id)
        FROM _timescaledb_catalog.dimension AS d)                                        AS dimensions,
       (SELECT string_agg(concat_ws(':', ca.mat_hypertable_id, ca.user_view_schema, ca.user_view_name), ','
                          ORDER BY ca.mat_hypertable_id)
        FROM _timescaledb_catalog.continuous_agg AS ca)                                  AS aggregates,
       now()                                                                             AS db_now
