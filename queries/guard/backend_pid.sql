-- The server process serving this transaction (a transaction pooler changes it between transactions).
SELECT pg_backend_pid() AS pid
