-- Every console session: its own timeouts, its name, quiet notices, and read-only unless it changes something.
SELECT set_config('statement_timeout', %(statement_timeout)s, false),
       set_config('lock_timeout', %(lock_timeout)s, false),
       set_config('application_name', %(application_name)s, false),
       set_config('client_min_messages', 'warning', false),
       set_config('default_transaction_read_only', %(read_only)s, false)
