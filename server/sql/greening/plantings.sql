-- A plot's plantings, newest first.
SELECT id, plot_id, to_char(planted_on, 'YYYY-MM-DD') AS planted_on, species, trees, planted_mu, note, created_by, created_at
FROM plantings
WHERE plot_id = $1
ORDER BY planted_on DESC, id DESC
