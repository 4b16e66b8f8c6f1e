-- Settings local to one pane's short read-only transaction: its own statement and lock timeouts, and the
-- interval style the services read interval text in ("7 days", "01:00:00", "1 mon").
SELECT set_config('statement_timeout', %(timeout)s, true),
       set_config('lock_timeout', %(timeout)s, true),
       set_config('IntervalStyle', 'postgres', true)
