-- Median distance (metres) from sample points to their nearest road, for the points as given
-- ($1, $2) and for the same points read as GCJ-02 and converted ($3, $4). The nearest road is found
-- by the index (ORDER BY geom <-> point, a KNN scan), then measured on the spheroid.
WITH given AS (
  SELECT ST_SetSRID(ST_MakePoint(x, y), 4326) AS g FROM unnest($1::float8[], $2::float8[]) AS u(x, y)
), corrected AS (
  SELECT ST_SetSRID(ST_MakePoint(x, y), 4326) AS g FROM unnest($3::float8[], $4::float8[]) AS u(x, y)
)
SELECT
  (SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY d) FROM (
     SELECT (SELECT ST_Distance(p.g::geography, r.geom::geography) FROM roads r ORDER BY r.geom <-> p.g LIMIT 1) AS d FROM given p) s) AS given_m,
  (SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY d) FROM (
     SELECT (SELECT ST_Distance(p.g::geography, r.geom::geography) FROM roads r ORDER BY r.geom <-> p.g LIMIT 1) AS d FROM corrected p) s) AS corrected_m
