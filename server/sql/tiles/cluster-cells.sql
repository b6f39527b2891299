-- An unfiltered cluster tile from the counts kept in cluster_cells (migration 017): the same
-- features as tiles/clusters.sql, without reading the points. Cells at zoom z are 1/32 of a tile,
-- so this tile's cells are columns 32x … 32x+31 and rows 32y … 32y+31 (primary-key range scan).
-- Positions are sums of 2^-28 world units: at zoom z one tile unit is 2^(16 - z) of them.
-- $1, $2, $3 = z, x, y; $4 = the layer.
SELECT min(id_min) AS id,
       sum(n)::int AS point_count,
       (array_agg(style ORDER BY n DESC, style))[1] AS {{style}},
       ST_MakePoint(round(sum(sx)::float8 / sum(n) / 2.0 ^ (16 - $1::int) - $2::int * 4096.0),
                    round(sum(sy)::float8 / sum(n) / 2.0 ^ (16 - $1::int) - $3::int * 4096.0)) AS geom
FROM cluster_cells
WHERE layer = $4::text AND z = $1::int
  AND cx BETWEEN $2::int * 32 AND $2::int * 32 + 31
  AND cy BETWEEN $3::int * 32 AND $3::int * 32 + 31
GROUP BY cx, cy
