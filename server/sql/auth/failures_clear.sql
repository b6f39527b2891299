-- A successful login forgets this name's failures from this address, and old ones everywhere.
DELETE FROM login_failures WHERE (username = $1 AND ip = $2) OR at < now() - make_interval(secs => $3::int)
