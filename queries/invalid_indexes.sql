-- Indexes left INVALID (e.g. by a failed CREATE INDEX CONCURRENTLY in a no-transaction migration).
SELECT c.relname AS index_name
FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
WHERE NOT i.indisvalid
ORDER BY 1
