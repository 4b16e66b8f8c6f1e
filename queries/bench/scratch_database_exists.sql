-- bench --chunks: is a database of this name there (after the drop, nothing must remain)?
SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = %(name)s) AS present
