-- The user owning a key, created on first use (email is unique).
INSERT INTO users (email) VALUES (%(email)s)
ON CONFLICT ON CONSTRAINT uq_users_email DO UPDATE SET email = EXCLUDED.email
RETURNING id, (xmax = 0) AS created
