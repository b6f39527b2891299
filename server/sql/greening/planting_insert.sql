INSERT INTO plantings (plot_id, planted_on, species, trees, planted_mu, note, created_by)
VALUES ($1, $2::date, $3, $4, $5, $6, $7)
RETURNING id, plot_id, to_char(planted_on, 'YYYY-MM-DD') AS planted_on, species, trees, planted_mu, note, created_by, created_at
