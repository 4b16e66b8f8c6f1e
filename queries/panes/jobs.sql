-- Background jobs pane: every job (policies, built-in and custom), LEFT JOINed from .jobs so a job that never
-- ran is listed too (.job_stats was an INNER JOIN before 2.23). The target is labelled by the continuous
-- aggregate's view name: .jobs.hypertable_name is the view from 2.20 on and the materialization hypertable
-- before, so both spellings are matched (a view and a hypertable can never share a name in one schema).
-- Config intervals are returned as text (IntervalStyle postgres, set by panes/settings.sql), or as the raw
-- JSON value for integer-time hypertables. Consecutive failures exist only in _timescaledb_internal.bgw_job_stat
-- (SELECT granted to PUBLIC; same place 2.13 through 2.29). The latest error from .job_errors (2.9+).
-- Timestamps that are +/-infinity (never succeeded, stuck next_start) come back NULL with a flag.
-- TimescaleDB 2.13+, both editions. Parameters: grace (interval) before a missed start counts as overdue.
SELECT j.job_id,
       j.application_name,
       j.proc_schema,
       j.proc_name,
       j.owner,
       j.scheduled,
       j.fixed_schedule,
       j.schedule_interval,
       j.schedule_interval::text                                    AS schedule_text,
       j.max_runtime,
       j.max_retries,
       j.retry_period,
       j.config,
       COALESCE(ca.view_schema, j.hypertable_schema)                AS target_schema,
       COALESCE(ca.view_name, j.hypertable_name)                    AS target_name,
       CASE WHEN ca.view_name IS NOT NULL THEN 'continuous aggregate'
            WHEN j.hypertable_name IS NOT NULL THEN 'hypertable' END AS target_kind,
       CASE jsonb_typeof(j.config -> 'compress_after') WHEN 'string'
            THEN (j.config ->> 'compress_after')::interval::text ELSE j.config ->> 'compress_after' END
                                                                    AS compress_after,
       CASE jsonb_typeof(j.config -> 'compress_created_before') WHEN 'string'
            THEN (j.config ->> 'compress_created_before')::interval::text END
                                                                    AS compress_created_before,
       CASE jsonb_typeof(j.config -> 'drop_after') WHEN 'string'
            THEN (j.config ->> 'drop_after')::interval::text ELSE j.config ->> 'drop_after' END
                                                                    AS drop_after,
       CASE jsonb_typeof(j.config -> 'drop_created_before') WHEN 'string'
            THEN (j.config ->> 'drop_created_before')::interval::text END
                                                                    AS drop_created_before,
       CASE jsonb_typeof(j.config -> 'start_offset') WHEN 'string'
            THEN (j.config ->> 'start_offset')::interval::text ELSE j.config ->> 'start_offset' END
                                                                    AS start_offset,
       CASE jsonb_typeof(j.config -> 'end_offset') WHEN 'string'
            THEN (j.config ->> 'end_offset')::interval::text ELSE j.config ->> 'end_offset' END
                                                                    AS end_offset,
       s.job_status,
       s.last_run_status,
       CASE WHEN isfinite(s.last_run_started_at) THEN s.last_run_started_at END       AS last_run_started_at,
       s.last_run_duration,
       CASE WHEN isfinite(s.last_successful_finish) THEN s.last_successful_finish END AS last_successful_finish,
       CASE WHEN isfinite(j.next_start) THEN j.next_start END                         AS next_start,
       COALESCE(j.next_start = '-infinity', false)                  AS next_start_stuck,
       COALESCE(s.total_runs, 0)                                    AS total_runs,
       COALESCE(s.total_successes, 0)                               AS total_successes,
       COALESCE(s.total_failures, 0)                                AS total_failures,
       COALESCE(bs.total_crashes, 0)                                AS total_crashes,
       COALESCE(bs.consecutive_failures, 0)                         AS consecutive_failures,
       COALESCE(bs.consecutive_crashes, 0)                          AS consecutive_crashes,
       e.finish_time                                                AS last_error_at,
       e.sqlerrcode                                                 AS last_error_code,
       e.err_message                                                AS last_error,
       CASE WHEN j.scheduled AND s.job_status IS DISTINCT FROM 'Running' AND isfinite(j.next_start)
                 AND j.next_start < now() - %(grace)s::interval
            THEN now() - j.next_start END                           AS overdue_by,
       current_setting('timescaledb.max_background_workers', true) AS max_background_workers,
       current_setting('max_worker_processes', true)                AS max_worker_processes,
       now()                                                        AS db_now
FROM timescaledb_information.jobs AS j
LEFT JOIN timescaledb_information.continuous_aggregates AS ca
       ON (ca.view_schema = j.hypertable_schema AND ca.view_name = j.hypertable_name)
       OR (ca.materialization_hypertable_schema = j.hypertable_schema
           AND ca.materialization_hypertable_name = j.hypertable_name)
LEFT JOIN timescaledb_information.job_stats AS s ON s.job_id = j.job_id
LEFT JOIN _timescaledb_internal.bgw_job_stat AS bs ON bs.job_id = j.job_id
LEFT JOIN LATERAL (
    SELECT je.finish_time, je.sqlerrcode, je.err_message
    FROM timescaledb_information.job_errors AS je
    WHERE je.job_id = j.job_id
    ORDER BY je.start_time DESC NULLS LAST
    LIMIT 1
) AS e ON true
ORDER BY j.job_id
