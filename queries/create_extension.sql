-- A new engine's default database gets TimescaleDB, as the tsl engine's does.
CREATE EXTENSION IF NOT EXISTS timescaledb
