-- bench --chunks on a one-database engine: the scratch schema first, so migrations create their objects there.
SELECT set_config('search_path', %(path)s, false)
