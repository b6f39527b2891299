-- Planned vs planted 亩 by village, year and species ($1 year, $2 village, $3 species: NULL = all).
SELECT village, year, species, count(*)::int AS plots,
       sum(planned_mu) AS planned_mu, sum(planted_mu) AS planted_mu, sum(area_mu) AS area_mu
FROM afforestation_plot_areas
WHERE ($1::int IS NULL OR year = $1) AND ($2::text IS NULL OR village = $2) AND ($3::text IS NULL OR species = $3)
GROUP BY village, year, species
ORDER BY village, year, species
