INSERT INTO api_tokens (token_hash, user_id, name) VALUES ($1, $2, $3) RETURNING id, name, created_at
