-- After a password change: every other session of the user ends (expired ones go too).
DELETE FROM sessions WHERE (user_id = $1 AND id_hash IS DISTINCT FROM $2) OR expires_at < now()
