-- seed aftercare: materialize one continuous aggregate over [start, end) (must run in autocommit).
CALL refresh_continuous_aggregate(%(view)s::regclass, %(start)s::timestamptz, %(end)s::timestamptz)
