-- A user as the API shows it (never the password hash); FOR UPDATE so that a change and the
-- "last admin" check see the same row.
SELECT id, username, role, villages, disabled, created_at, updated_at, password_changed_at
FROM users
WHERE username = $1
FOR UPDATE
