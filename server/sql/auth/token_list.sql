-- A user's API tokens (never the token itself: only its hash was kept).
SELECT id, name, created_at, last_used_at FROM api_tokens WHERE user_id = $1 ORDER BY id
