-- sqlx's BEGIN around a migration file that carries its own transaction control (its COMMIT ends this one).
BEGIN
