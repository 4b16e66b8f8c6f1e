-- Compress one chunk (before 2.18; a no-op when it already is).
SELECT compress_chunk(%(chunk)s::regclass, if_not_compressed => true)
