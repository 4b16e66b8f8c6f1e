-- The statement timeout of what runs next (each verify check has its own).
SELECT set_config('statement_timeout', %(timeout)s, false)
