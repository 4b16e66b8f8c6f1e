-- Remove a compression policy, before 2.18 (no error when there is none).
SELECT remove_compression_policy(%(relation)s::regclass, if_exists => true)
