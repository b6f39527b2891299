INSERT INTO users (username, password_hash, role, villages)
VALUES ($1, $2, $3, $4::text[])
ON CONFLICT (username) DO NOTHING
RETURNING id, username, role, villages, disabled, created_at, updated_at
