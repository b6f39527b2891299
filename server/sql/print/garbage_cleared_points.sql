-- Garbage points cleared in a month ($1 start, $2 end) for a printed map, at most 5,000.
SELECT ST_X(geom) AS lon, ST_Y(geom) AS lat
FROM garbage_points
WHERE cleared_at >= $1 AND cleared_at < $2
ORDER BY cleared_at, id
LIMIT 5000
