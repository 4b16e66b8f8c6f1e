-- Does the ledger exist where sqlx would look for it (the first schema of the search_path)?
SELECT to_regclass('_sqlx_migrations') IS NOT NULL AS present
