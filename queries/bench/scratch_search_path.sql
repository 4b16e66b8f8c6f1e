-- bench --chunks on a one-database engine: put the scratch schema first (migrations create their objects there);
-- returns the search_path it replaces, to be set back before the connection is closed (the tsl engine's one
-- backend outlives the connection).
SELECT current_setting('search_path') AS previous, set_config('search_path', %(path)s, false) AS now_set
