-- Switch the session between read-only ('on') and writable ('off') for an action the user asked for.
SELECT set_config('default_transaction_read_only', %(read_only)s, false)
