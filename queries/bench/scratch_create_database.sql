-- bench --chunks: the scratch database ({name} is composed as an identifier by psycopg).
CREATE DATABASE {name} TEMPLATE template0
