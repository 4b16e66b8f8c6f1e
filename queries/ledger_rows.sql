-- Every ledger row, oldest version first.
SELECT version, description, installed_on, success, checksum, execution_time
FROM _sqlx_migrations
ORDER BY version
