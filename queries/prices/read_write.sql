-- prices sync: the one read-write transaction, for the INSERTs only (the session stays read-only otherwise).
SET TRANSACTION READ WRITE
