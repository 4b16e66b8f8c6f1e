-- bench --fleet: no new session in the source database (TimescaleDB's scheduler included), so it can be copied.
ALTER DATABASE {name} ALLOW_CONNECTIONS false
