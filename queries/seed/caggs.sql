-- seed aftercare: every continuous aggregate, to refresh over the seeded window.
SELECT quote_ident(view_schema) || '.' || quote_ident(view_name) AS view
FROM timescaledb_information.continuous_aggregates
ORDER BY view_schema, view_name
