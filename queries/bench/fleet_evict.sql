-- bench --fleet: end the sessions still in the source database (its scheduler) before copying it.
SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = %(name)s AND pid <> pg_backend_pid()
