"""The migration runner: sqlx-compatible files and ledger, with preflight checks sqlx does not have."""
