-- Compress one chunk into the columnstore (2.18+ name; a no-op when it already is).
CALL convert_to_columnstore(%(chunk)s::regclass, if_not_columnstore => true)
