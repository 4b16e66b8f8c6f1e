-- Chunk sizes pane, step 2: exact sizes (bytes) of the relations given, as chunks_detailed_size() measures them
-- (_timescaledb_functions.relation_size: heap incl. free space and visibility maps, indexes, toast). The pane
-- adds a compressed chunk's relation to its chunk. Parameters: oids (bigint[], at most a few hundred a call).
SELECT r.oid AS oid,
       s.total_size,
       s.heap_size,
       s.index_size,
       s.toast_size
FROM unnest(%(oids)s::bigint[]) AS r(oid)
CROSS JOIN LATERAL _timescaledb_functions.relation_size(r.oid::oid::regclass) AS s
