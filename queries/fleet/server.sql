-- Fleet, step 1 (any PostgreSQL): versions, edition, role and replay lag. A standby whose replay has caught up
-- with what it received has no lag (0), whatever the age of the last replayed transaction on a quiet primary.
-- pid: the server process serving this transaction (console.fleet.probe's pooler check, one refresh at a time).
SELECT current_setting('server_version')                                        AS server_version,
       (SELECT extversion FROM pg_extension WHERE extname = 'timescaledb')      AS timescaledb_version,
       current_setting('timescaledb.license', true)                             AS license,
       pg_is_in_recovery()                                                      AS standby,
       CASE WHEN NOT pg_is_in_recovery() THEN NULL
            WHEN pg_last_wal_receive_lsn() IS NOT NULL AND pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn()
            THEN 0::float8
            ELSE extract(epoch FROM now() - pg_last_xact_replay_timestamp())::float8
       END                                                                      AS replay_lag_seconds,
       to_regclass('cost_analysis_hourly') IS NOT NULL                          AS has_cost,
       pg_backend_pid()                                                         AS pid
