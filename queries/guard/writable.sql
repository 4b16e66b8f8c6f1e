-- May this session write? A hot standby cannot; a read-only default (database, role, server or client
-- setting) says it must not. `source` names where the default comes from.
SELECT pg_is_in_recovery() AS in_recovery,
       current_setting('default_transaction_read_only') = 'on' AS read_only_default,
       (SELECT source FROM pg_settings WHERE name = 'default_transaction_read_only') AS read_only_source
