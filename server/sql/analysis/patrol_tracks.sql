-- The patrol tracks of the days [$1, $2) (a month in Asia/Shanghai), for the coverage map.
SELECT p.id, p.inspector, to_char(p.patrolled_on, 'YYYY-MM-DD') AS patrolled_on,
       ST_Length(p.geom::geography) AS length_m, ST_AsGeoJSON(p.geom, 6) AS geometry
FROM patrols p
WHERE p.patrolled_on >= $1::date AND p.patrolled_on < $2::date
ORDER BY p.patrolled_on, p.id
