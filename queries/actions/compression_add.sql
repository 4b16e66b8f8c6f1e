-- Add a compression (columnstore) policy, 2.18+ name: chunks older than the interval are compressed by its job.
CALL add_columnstore_policy(%(relation)s::regclass, after => %(after)s::interval)
