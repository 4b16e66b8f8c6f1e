-- Remove a retention policy (no error when there is none).
SELECT remove_retention_policy(%(relation)s::regclass, if_exists => true)
