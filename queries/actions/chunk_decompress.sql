-- Decompress one chunk back to the rowstore (2.18+ name; a no-op when it is not compressed).
CALL convert_to_rowstore(%(chunk)s::regclass, if_columnstore => true)
