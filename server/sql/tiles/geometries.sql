-- The same tile as mvt.sql up to the encoding step, for the embedded engine whose PostGIS is built
-- without protobuf-c (no ST_AsMVT). Each row is a feature already in tile space: clipped to the
-- buffered tile, scaled to 0…4096 with y pointing down, snapped to whole units, made valid, and
-- with polygon exteriors counter-clockwise in these numbers (they appear clockwise with y down,
-- which is what the MVT spec asks). server/tiles/encode.ts turns the rows into protobuf.
WITH b AS (
  SELECT ST_TileEnvelope($1::int, $2::int, $3::int) AS env,
         ST_TileEnvelope($1::int, $2::int, $3::int, margin => 64.0 / 4096) AS env_buffered,
         ST_Transform(ST_TileEnvelope($1::int, $2::int, $3::int, margin => 64.0 / 4096), 4326) AS env_4326
), s AS (
  SELECT 4096.0 / (ST_XMax(env) - ST_XMin(env)) AS k, ST_XMin(env) AS x0, ST_YMax(env) AS y0, env_buffered, env_4326 FROM b
)
SELECT q.id, {{q_properties}}, ST_AsGeoJSON(q.geom, 0) AS geom
FROM (
  SELECT t.id, {{properties}},
         ST_ForcePolygonCCW(
           ST_SnapToGrid(
             ST_Affine(
               CASE WHEN GeometryType(t.geom) = 'POINT' THEN ST_Transform(t.geom, 3857)
                    ELSE ST_ClipByBox2D(ST_Transform(t.geom, 3857), s.env_buffered) END,
               s.k, 0, 0, -s.k, -s.x0 * s.k, s.y0 * s.k),
             1)) AS geom
  FROM {{table}} t, s
  WHERE t.geom && s.env_4326 AND {{where}}
    AND (GeometryType(t.geom) <> 'POINT' OR ST_Intersects(ST_Transform(t.geom, 3857), s.env_buffered))
  -- OFFSET 0 keeps the planner from pushing the outer test into this scan, which would compute
  -- the tile-space geometry twice per feature.
  OFFSET 0
) q
WHERE q.geom IS NOT NULL AND NOT ST_IsEmpty(q.geom)
