-- Only for statements that cannot run in a transaction block (see console.infra.db.outside_transaction):
-- set the session's timeouts for them, returning the old values, which are put back right after.
SELECT current_setting('statement_timeout') AS statement_timeout,
       current_setting('lock_timeout') AS lock_timeout,
       set_config('statement_timeout', %(statement_timeout)s, false),
       set_config('lock_timeout', %(lock_timeout)s, false)
