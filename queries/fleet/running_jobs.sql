-- Fleet, step 2b (only when fleet/timescale.sql found late jobs): which of them are running now, as
-- timescaledb_information.job_stats judges it (an active backend of this database under the job's application
-- name); a late job that is not is overdue. Parameters: names (text[]).
SELECT a.application_name
FROM pg_stat_activity AS a
WHERE a.datname = current_database() AND a.state = 'active' AND a.application_name = ANY(%(names)s)
