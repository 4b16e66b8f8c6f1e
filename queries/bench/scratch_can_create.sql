-- bench --chunks: may this role create the scratch database (superuser or CREATEDB)?
SELECT rolsuper OR rolcreatedb AS can_create FROM pg_roles WHERE rolname = current_user
