-- A failed login; failures older than a day are removed on the way (the window is 15 minutes).
WITH old AS (
  DELETE FROM login_failures WHERE at < now() - interval '1 day'
)
INSERT INTO login_failures (username, ip) VALUES ($1, $2)
