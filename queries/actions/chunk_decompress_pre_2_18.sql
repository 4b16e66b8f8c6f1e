-- Decompress one chunk (before 2.18; a no-op when it is not compressed).
SELECT decompress_chunk(%(chunk)s::regclass, if_compressed => true)
