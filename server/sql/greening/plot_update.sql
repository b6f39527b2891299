UPDATE afforestation_plots SET planted_mu = $2, status = $3 WHERE id = $1
