-- Drift snapshot: columns of user tables: type, NOT NULL, default, identity, comment.
SELECT CASE WHEN n.nspname = 'public' THEN '' ELSE n.nspname || '.' END || c.relname || '.' || a.attname AS key,
       jsonb_build_object(
           'type', format_type(a.atttypid, a.atttypmod),
           'not null', a.attnotnull,
           'default', pg_get_expr(ad.adbin, ad.adrelid),
           'identity', nullif(a.attidentity, ''),
           'comment', col_description(c.oid, a.attnum)) AS attrs
FROM pg_attribute a
JOIN pg_class c ON c.oid = a.attrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum
WHERE c.relkind IN ('r', 'p') AND a.attnum > 0 AND NOT a.attisdropped
  AND n.nspname NOT IN ('pg_catalog', 'information_schema', 'toolkit_experimental')
  AND n.nspname !~ '^(pg_toast|pg_temp|_timescaledb|timescaledb_)'
  AND c.relname <> '_sqlx_migrations'
  AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = c.oid AND d.deptype = 'e')
ORDER BY 1
