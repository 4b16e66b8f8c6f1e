-- bench --chunks floor: psql's session as the console's (read-only, bounded), and its backend for the CPU reading.
SELECT set_config('default_transaction_read_only', 'on', false),
       set_config('statement_timeout', '600s', false),
       pg_backend_pid() AS backend_pid
