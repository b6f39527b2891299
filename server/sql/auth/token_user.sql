-- The user of an API token; disabled users' tokens no longer count. last_used_at is refreshed at
-- most every 5 minutes, so that reading tiles with a token does not write a row per request.
WITH t AS (
  SELECT id, user_id, last_used_at FROM api_tokens WHERE token_hash = $1
), touch AS (
  UPDATE api_tokens a SET last_used_at = now()
  FROM t
  WHERE a.id = t.id AND (t.last_used_at IS NULL OR t.last_used_at < now() - interval '5 minutes')
)
SELECT u.id, u.username, u.role, u.villages
FROM t JOIN users u ON u.id = t.user_id
WHERE NOT u.disabled
