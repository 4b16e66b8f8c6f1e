-- Terminate the backend: its session ends and its transaction rolls back.
SELECT pg_terminate_backend(%(pid)s)
