-- bench --chunks on a one-database engine: drop a scratch hypertable's oldest chunks in small steps (dropping a
-- schema with thousands of chunks in one transaction would exhaust the lock table).
SELECT count(*) AS dropped
FROM drop_chunks(format('%%I.%%I', %(schema)s::text, %(table)s::text)::regclass, older_than => %(before)s::timestamptz)
