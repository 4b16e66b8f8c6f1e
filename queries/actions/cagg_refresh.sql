-- Refresh a continuous aggregate over a window; it refuses to run inside a transaction block.
CALL refresh_continuous_aggregate(%(view)s::regclass, %(start)s::timestamptz, %(end)s::timestamptz)
