-- NULL parameters leave a column as it is.
UPDATE users SET
  role = coalesce($2, role),
  villages = coalesce($3::text[], villages),
  disabled = coalesce($4, disabled),
  password_hash = coalesce($5, password_hash),
  password_changed_at = CASE WHEN $5::text IS NULL THEN password_changed_at ELSE now() END,
  updated_at = now()
WHERE username = $1
RETURNING id, username, role, villages, disabled, created_at, updated_at, password_changed_at
