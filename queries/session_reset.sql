-- Undo exactly the session settings the console sets (RESET ALL would also reset what the server's own
-- startup set, e.g. the tsl engine's search_path).
RESET statement_timeout;
RESET lock_timeout;
RESET default_transaction_read_only;
RESET client_min_messages;
RESET application_name
