-- Add a retention policy: chunks older than the interval are dropped by its job.
SELECT add_retention_policy(%(relation)s::regclass, drop_after => %(after)s::interval)
