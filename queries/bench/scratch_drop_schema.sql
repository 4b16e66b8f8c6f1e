-- bench --chunks on a one-database engine: drop the scratch schema and everything in it.
DROP SCHEMA IF EXISTS {name} CASCADE
