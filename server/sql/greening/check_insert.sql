INSERT INTO survival_checks (plot_id, checked_on, sample_planted, sample_alive, note, created_by)
VALUES ($1, $2::date, $3, $4, $5, $6)
RETURNING id, plot_id, to_char(checked_on, 'YYYY-MM-DD') AS checked_on, sample_planted, sample_alive, note, created_by, created_at
