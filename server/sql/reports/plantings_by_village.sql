-- Planting records of a month ($1 first day, $2 first day of the next month) per village of the plot.
SELECT p.village, count(*)::int AS plantings,
       sum(pl.planted_mu)::float8 AS planted_mu,
       coalesce(sum(pl.trees), 0)::int AS trees
FROM plantings pl
JOIN afforestation_plots p ON p.id = pl.plot_id
WHERE pl.planted_on >= $1::date AND pl.planted_on < $2::date
GROUP BY p.village
ORDER BY p.village
