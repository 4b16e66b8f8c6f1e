-- Chunks an action would touch: one by name, or a hypertable's chunks whose whole range ends before a cutoff
-- (as drop_chunks older_than counts it), with their ranges, state and current size (sizes read once per
-- hypertable).
WITH picked AS (
    SELECT format('%%I.%%I', c.chunk_schema, c.chunk_name) AS chunk,
           format('%%I.%%I', c.hypertable_schema, c.hypertable_name) AS hypertable,
           c.range_start, c.range_end, c.is_compressed
    FROM timescaledb_information.chunks c
    WHERE CASE WHEN %(chunk)s::text IS NOT NULL
               THEN format('%%I.%%I', c.chunk_schema, c.chunk_name) = %(chunk)s OR c.chunk_name = %(chunk)s
               ELSE format('%%I.%%I', c.hypertable_schema, c.hypertable_name) = %(hypertable)s
                    AND c.range_end <= %(cutoff)s::timestamptz END
), sizes AS (
    SELECT format('%%I.%%I', s.chunk_schema, s.chunk_name) AS chunk, s.total_bytes
    FROM (SELECT DISTINCT hypertable FROM picked) h, LATERAL chunks_detailed_size(h.hypertable::regclass) s
)
SELECT p.chunk, p.hypertable, p.range_start, p.range_end, p.is_compressed, s.total_bytes
FROM picked p LEFT JOIN sizes s USING (chunk)
ORDER BY p.range_start, p.chunk
