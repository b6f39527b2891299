-- A plot's survival checks, newest first (the first is the plot's latest check).
SELECT id, plot_id, to_char(checked_on, 'YYYY-MM-DD') AS checked_on, sample_planted, sample_alive, note, created_by, created_at
FROM survival_checks
WHERE plot_id = $1
ORDER BY checked_on DESC, id DESC
