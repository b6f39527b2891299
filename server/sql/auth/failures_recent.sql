-- Failed logins for this name and address within the window, and when the oldest of them leaves it.
SELECT count(*)::int AS n,
       ceil(extract(epoch FROM (min(at) + make_interval(secs => $3::int) - now())))::int AS retry_after_s
FROM login_failures
WHERE username = $1 AND ip = $2 AND at > now() - make_interval(secs => $3::int)
