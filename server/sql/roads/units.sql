-- A road's kilometre units with their village, as GeoJSON features.
SELECT u.id, u.k, stake_label(u.start_m) AS stake, round(u.start_m::numeric, 1)::float8 AS start_m,
       round(u.end_m::numeric, 1)::float8 AS end_m, round(u.length_m::numeric, 1)::float8 AS length_m,
       u.village, ST_AsGeoJSON(u.geom, 7)::json AS geometry
FROM road_units u
WHERE u.road_id = $1
ORDER BY u.k
