-- A file whose own COMMIT made part of it permanent before a later statement failed: the row says so
-- (success = FALSE: sqlx and obsconsole both refuse to go on until someone checks the objects and deletes it).
INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time)
VALUES (%(version)s, %(description)s, FALSE, %(checksum)s, -1)
