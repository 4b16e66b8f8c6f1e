-- Jobs pane: is TimescaleDB's scheduler running for this database? Native servers show one "TimescaleDB
-- Background Worker Scheduler" backend per database with the extension (and one launcher per cluster) in
-- pg_stat_activity; backend_type and datname of other users' sessions are visible only with pg_read_all_stats
-- (measured on PG 15: NULL otherwise), so stats_readable says whether "no scheduler" can be told at all. The tsl (WASM) engine has no background
-- workers at all (its version() names emscripten). Also: how many scheduled jobs are past their next start and never ran.
SELECT version() ~* 'emscripten|wasm'                                  AS wasm,
       pg_has_role(current_user, 'pg_read_all_stats', 'USAGE')              AS stats_readable,
       quote_ident(current_user)                                            AS role,
       EXISTS (SELECT 1 FROM pg_stat_activity
               WHERE backend_type = 'TimescaleDB Background Worker Scheduler'
                 AND datname = current_database())                          AS scheduler_running,
       EXISTS (SELECT 1 FROM pg_stat_activity
               WHERE backend_type = 'TimescaleDB Background Worker Launcher') AS launcher_running,
       current_setting('timescaledb.max_background_workers', true)          AS max_background_workers,
       (SELECT count(*) FROM timescaledb_information.jobs AS j
        LEFT JOIN timescaledb_information.job_stats AS s ON s.job_id = j.job_id
        WHERE j.scheduled AND isfinite(j.next_start) AND j.next_start < now()
          AND COALESCE(s.total_runs, 0) = 0)::int                           AS never_ran_past_start
