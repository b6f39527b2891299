-- The user of a live session; disabled users' sessions no longer count.
SELECT u.id, u.username, u.role, u.villages
FROM sessions s JOIN users u ON u.id = s.user_id
WHERE s.id_hash = $1 AND s.expires_at > now() AND NOT u.disabled
