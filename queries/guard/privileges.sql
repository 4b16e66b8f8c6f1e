-- The write gate: does the role hold each privilege a write needs? One row per need, in order; NULL where the
-- object does not exist (the command's own check says what is missing). An empty name means the current schema
-- (for kind 'schema') or the current database (for kind 'database'). Kind 'owner': is the role the owner of the
-- relation, or a member of the owning role (what TimescaleDB's drop_chunks, compression, policies and refreshes
-- ask); `owner` names that role.
SELECT n.kind,
       coalesce(nullif(n.name, ''), CASE n.kind WHEN 'database' THEN current_database() ELSE current_schema() END),
       n.privilege,
       CASE n.kind
           WHEN 'schema' THEN has_schema_privilege(
               to_regnamespace(coalesce(nullif(n.name, ''), current_schema()))::oid, n.privilege)
           WHEN 'database' THEN has_database_privilege(coalesce(nullif(n.name, ''), current_database()), n.privilege)
           WHEN 'table' THEN has_table_privilege(to_regclass(n.name), n.privilege)
           WHEN 'owner' THEN pg_has_role((SELECT relowner FROM pg_class WHERE oid = to_regclass(n.name)), 'USAGE')
       END,
       CASE n.kind WHEN 'owner' THEN (SELECT pg_get_userbyid(relowner) FROM pg_class WHERE oid = to_regclass(n.name))
       END AS owner
FROM unnest(%(kinds)s::text[], %(names)s::text[], %(privileges)s::text[]) WITH ORDINALITY AS n(kind, name, privilege, i)
ORDER BY n.i
