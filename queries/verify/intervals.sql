-- Expected intervals written in expected.toml, cast by the server so both sides compare exactly.
SELECT spelled, spelled::interval AS value FROM unnest(%(spelled)s::text[]) AS spelled
