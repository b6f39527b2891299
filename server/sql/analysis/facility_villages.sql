-- Facility coverage per village: the parts of each road inside each village, and how much of
-- those parts is covered (lengths in the road's GK zone, scaled to geodesic like the roads).
WITH c AS (
  SELECT fc.road_id, fc.covered, rl.srid, rl.length_m / nullif(ST_Length(rl.geom_m), 0) AS scale, ST_Force2D(rl.geom_m) AS line
  FROM facility_coverage($1::bigint[], $2::float8) fc
  JOIN road_lines rl ON rl.road_id = fc.road_id
), parts AS (
  SELECT v.name AS village,
         c.scale * ST_Length(ST_Intersection(c.line, ST_Transform(v.geom, c.srid))) AS length_m,
         c.scale * ST_Length(ST_Intersection(ST_Transform(c.covered, c.srid), ST_Transform(v.geom, c.srid))) AS covered_m
  FROM c
  JOIN villages v ON v.geom && ST_Transform(ST_Envelope(c.line), 4326)
)
SELECT village, sum(length_m) AS length_m, sum(covered_m) AS covered_m
FROM parts
GROUP BY village
HAVING sum(length_m) > 0
ORDER BY village
