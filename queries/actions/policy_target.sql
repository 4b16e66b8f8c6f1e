-- The policy of one kind (policy_retention / policy_compression) a hypertable or cagg has now, if any.
SELECT j.job_id, j.config::text AS config
FROM timescaledb_information.jobs j
WHERE j.proc_name = %(proc)s
  AND format('%%I.%%I', j.hypertable_schema, j.hypertable_name) = %(relation)s
