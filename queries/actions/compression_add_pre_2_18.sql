-- Add a compression policy, before 2.18: chunks older than the interval are compressed by its job.
SELECT add_compression_policy(%(relation)s::regclass, compress_after => %(after)s::interval)
