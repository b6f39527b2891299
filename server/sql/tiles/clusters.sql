-- Point layers at low zoom: one feature per 128×128-unit cell of the tile (at most 32×32 per
-- tile) instead of every point, so a county's 200,000 garbage points make small tiles.
-- Tile coordinates come from cluster_qx/cluster_qy (migration 017: the spherical Mercator
-- position in 2^-28 world units, the same numbers the kept cell counts are made of; at zoom z a
-- tile unit is 2^(16 - z) of them): a little arithmetic per point instead of an ST_Transform
-- call, and a cell is two numbers to group by. Each point counts in exactly one
-- tile (no buffer), so the counts of adjacent tiles add up: the index test `&&` compares boxes
-- rounded outwards to float4 (a point up to a metre outside passes it), so the tile-space test
-- below decides, exactly as cluster_cells assigns cells (migration 017).
-- A cluster keeps its smallest member id as feature id, `point_count`, and the most frequent
-- value of {{style}} (ties: the first in alphabetical order). The caller wraps the rows in ST_AsMVT (real PostGIS) or encodes them in
-- TypeScript (embedded). $1, $2, $3 = z, x, y; later $n are the values of {{where}}.
WITH s AS (
  SELECT 2.0::float8 ^ (16 - $1::int) AS unit,
         ST_Transform(ST_TileEnvelope($1::int, $2::int, $3::int), 4326) AS env_4326
), p AS (
  SELECT t.id, t.{{style}} AS style,
         cluster_qx(t.geom) / s.unit - $2::int * 4096.0 AS x,
         cluster_qy(t.geom) / s.unit - $3::int * 4096.0 AS y
  FROM {{table}} t, s
  WHERE t.geom && s.env_4326 AND {{where}}
), inside AS (
  SELECT * FROM p WHERE p.x >= 0 AND p.x < 4096 AND p.y >= 0 AND p.y < 4096
)
-- Two steps so that both can hash instead of sort: per cell and style value, then per cell
-- (the most frequent value is picked among a handful of rows).
, per_style AS (
  SELECT floor(p.x / 128) AS cx, floor(p.y / 128) AS cy, p.style,
         count(*) AS n, min(p.id) AS id, sum(p.x) AS sx, sum(p.y) AS sy
  FROM inside p
  GROUP BY 1, 2, 3
)
SELECT min(id) AS id,
       sum(n)::int AS point_count,
       (array_agg(style ORDER BY n DESC, style))[1] AS {{style}},
       ST_MakePoint(round(sum(sx) / sum(n)), round(sum(sy) / sum(n))) AS geom
FROM per_style
GROUP BY cx, cy
