-- The write gate, for a job action: may the role alter or run each job? TimescaleDB lets only the job's owner, a
-- member of the owning role, or a superuser do it (pg_has_role covers all three). One row per job asked about, in
-- order; the owner NULL where the job does not exist (the action's own check says so).
SELECT n.job_id, j.owner::text AS owner, pg_has_role(j.owner, 'USAGE') AS held, current_user AS role
FROM unnest(%(jobs)s::int[]) WITH ORDINALITY AS n(job_id, i)
LEFT JOIN timescaledb_information.jobs AS j ON j.job_id = n.job_id
ORDER BY n.i
