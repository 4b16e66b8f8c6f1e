-- The server's now() minus an age: the one cutoff both the preview and drop_chunks use.
SELECT now() - %(older_than)s::interval
