SELECT id, username, password_hash, role, villages, disabled
FROM users
WHERE username = $1
