-- Cancel the backend's current query (the session stays).
SELECT pg_cancel_backend(%(pid)s)
