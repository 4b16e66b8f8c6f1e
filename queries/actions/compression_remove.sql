-- Remove a compression (columnstore) policy, 2.18+ name (no error when there is none).
CALL remove_columnstore_policy(%(relation)s::regclass, if_exists => true)
