-- Drift snapshot: continuous aggregates: real-time or not, compression, and the query (bucket read in Python).
SELECT CASE WHEN view_schema = 'public' THEN '' ELSE view_schema || '.' END || view_name AS key,
       jsonb_build_object(
           'materialized only', materialized_only,
           'compression enabled', compression_enabled,
           'query', view_definition,
           'comment', obj_description(format('%I.%I', view_schema, view_name)::regclass, 'pg_class')) AS attrs
FROM timescaledb_information.continuous_aggregates
ORDER BY 1
