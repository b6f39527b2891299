-- Structures demolished in a month ($1 first day, $2 first day of the next month, Asia/Shanghai
-- days) per village (the village polygon meeting the site; the first by name) and kind.
SELECT v.name AS village, d.kind, count(*)::int AS demolished
FROM demolition_sites d
LEFT JOIN LATERAL (
  SELECT name FROM villages WHERE ST_Intersects(villages.geom, d.geom) ORDER BY name, id LIMIT 1
) v ON true
WHERE d.status = 'demolished' AND d.demolished_on >= $1::date AND d.demolished_on < $2::date
GROUP BY v.name, d.kind
ORDER BY v.name, d.kind
