-- bench --chunks: is the scratch schema there (after the drop, nothing must remain)?
SELECT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = %(name)s) AS present
