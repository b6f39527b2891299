SELECT username, role, villages, disabled, created_at, updated_at, password_changed_at
FROM users
ORDER BY username
