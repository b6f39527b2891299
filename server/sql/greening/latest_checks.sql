-- The latest survival check of every plot that has one (by day, then by entry), with the plot's
-- planted 亩, for the survival picture ($1 year, $2 village, $3 species: NULL = all).
SELECT DISTINCT ON (c.plot_id) c.plot_id, p.plot_code, p.village, p.year, p.species, p.planted_mu,
       to_char(c.checked_on, 'YYYY-MM-DD') AS checked_on, c.sample_planted, c.sample_alive
FROM survival_checks c
JOIN afforestation_plots p ON p.id = c.plot_id
WHERE ($1::int IS NULL OR p.year = $1) AND ($2::text IS NULL OR p.village = $2) AND ($3::text IS NULL OR p.species = $3)
ORDER BY c.plot_id, c.checked_on DESC, c.id DESC
