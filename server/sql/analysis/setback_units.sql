-- The units of the selected roads, for the setback tally (a unit complies when no violation's
-- nearest point falls in it).
SELECT u.id, u.road_id, r.code, r.name, u.k, u.length_m, u.village, ST_AsGeoJSON(u.geom, 7) AS geometry
FROM road_units u JOIN roads r ON r.id = u.road_id
WHERE u.road_id = ANY ($1::bigint[])
ORDER BY r.code, u.road_id, u.k
