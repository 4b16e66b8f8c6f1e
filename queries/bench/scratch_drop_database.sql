-- bench --chunks: drop the scratch database, closing any session still in it.
DROP DATABASE IF EXISTS {name} WITH (FORCE)
