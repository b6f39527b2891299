-- A new session; expired ones are removed on the way, so the table does not grow for ever.
WITH expired AS (
  DELETE FROM sessions WHERE expires_at < now()
)
INSERT INTO sessions (id_hash, user_id, expires_at)
VALUES ($1, $2, now() + make_interval(hours => $3::int))
