-- ... and sets the real duration (nanoseconds) after COMMIT, outside the transaction.
UPDATE _sqlx_migrations SET execution_time = %(nanoseconds)s WHERE version = %(version)s
