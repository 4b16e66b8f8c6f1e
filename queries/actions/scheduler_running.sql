-- Whether a TimescaleDB scheduler runs for this database (none on servers without background workers).
SELECT EXISTS (SELECT 1 FROM pg_stat_activity
               WHERE backend_type = 'TimescaleDB Background Worker Scheduler' AND datname = current_database())
