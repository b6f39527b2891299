-- Garbage points cleared in a month ($1 start, $2 end) per village (the village polygon holding
-- the point; the first by name where polygons overlap): points and tons.
SELECT v.name AS village,
       count(*)::int AS points,
       coalesce(sum(g.volume_t), 0)::float8 AS tons
FROM garbage_points g
LEFT JOIN LATERAL (
  SELECT name FROM villages WHERE ST_Intersects(villages.geom, g.geom) ORDER BY name, id LIMIT 1
) v ON true
WHERE g.cleared_at >= $1 AND g.cleared_at < $2
GROUP BY v.name
ORDER BY v.name
