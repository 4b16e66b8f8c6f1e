-- The first statement of every transaction the console starts: its timeouts and quiet notices, all LOCAL
-- to that transaction, so nothing outlives it (not even on a pooled server session).
SELECT set_config('statement_timeout', %(statement_timeout)s, true),
       set_config('lock_timeout', %(lock_timeout)s, true),
       set_config('client_min_messages', 'warning', true)
