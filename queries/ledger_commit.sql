-- sqlx's COMMIT after the ledger row, when the file left the transaction open.
COMMIT
