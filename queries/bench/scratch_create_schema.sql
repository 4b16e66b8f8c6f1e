-- bench --chunks on a one-database engine (tsl): the scratch schema that holds the migrated tables.
CREATE SCHEMA {name}
