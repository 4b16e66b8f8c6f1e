-- bench --fleet: one clone of the migrated source database ({name}, {source} composed as identifiers).
CREATE DATABASE {name} TEMPLATE {source}
