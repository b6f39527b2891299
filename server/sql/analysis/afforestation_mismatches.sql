-- Plots whose reported planned area differs from their geodesic area by more than 10 %.
SELECT id, plot_code, village, planned_mu, area_mu
FROM afforestation_plot_areas
WHERE ($1::int IS NULL OR year = $1) AND ($2::text IS NULL OR village = $2) AND ($3::text IS NULL OR species = $3)
  AND area_mu > 0 AND abs(planned_mu - area_mu) > 0.10 * area_mu
ORDER BY abs(planned_mu - area_mu) / area_mu DESC, id
