-- One vector tile of one collection, encoded by PostGIS (real PostgreSQL: the fast path).
-- $1, $2, $3 = z, x, y; later $n are the values of {{where}} (the map's filters, built like the
-- items' WHERE). {{table}}, {{layer}}, {{properties}} and {{where}} come from the registry.
-- The candidate test `t.geom && env_4326` runs on the geom GiST index; the envelope carries the
-- 64-unit buffer so that symbols and labels across a tile edge are not cut.
-- No `WHERE geom IS NOT NULL` on the rows: ST_AsMVT skips rows without geometry (what
-- ST_AsMVTGeom returns for a feature clipped away) by itself, and the planner would push such a
-- filter down into the scan and compute ST_AsMVTGeom twice per feature.
WITH b AS (
  SELECT ST_TileEnvelope($1::int, $2::int, $3::int) AS env,
         ST_Transform(ST_TileEnvelope($1::int, $2::int, $3::int, margin => 64.0 / 4096), 4326) AS env_4326
)
SELECT ST_AsMVT(q, '{{layer}}', 4096, 'geom', 'id') AS tile
FROM (
  SELECT t.id, {{properties}},
         ST_AsMVTGeom(ST_Transform(t.geom, 3857), b.env, 4096, 64, true) AS geom
  FROM {{table}} t, b
  WHERE t.geom && b.env_4326 AND {{where}}
) q
