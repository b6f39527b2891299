-- A tile of a point layer above the cluster zooms (z ≥ 12), for both engines: the caller wraps the
-- rows in ST_AsMVT (real PostGIS) or encodes them in TypeScript (embedded), as for clusters.
-- Each point's tile position comes from the spherical Mercator formulas in plain arithmetic
-- instead of ST_Transform + ST_AsMVTGeom per point: the same position (EPSG:3857 is this
-- formula), at a fraction of the cost. The dense z12 tiles of a county hold 5,000+ points each
-- and were half of all tile time (docs/benchmarks.md). Points within the 64-unit buffer are
-- kept, as ST_AsMVTGeom keeps them, so symbols across a tile edge are not cut.
-- $1, $2, $3 = z, x, y; later $n are the values of {{where}}.
WITH s AS (
  -- k: tile units per world width at zoom z
  SELECT 4096.0 * 2.0::float8 ^ $1::int AS k,
         ST_Transform(ST_TileEnvelope($1::int, $2::int, $3::int, margin => 64.0 / 4096), 4326) AS env_4326
), p AS (
  SELECT t.id, {{properties}},
         round((ST_X(t.geom) + 180.0) / 360.0 * s.k - $2::int * 4096.0) AS px,
         round((1.0 - ln(tan(radians(ST_Y(t.geom))) + 1.0 / cos(radians(ST_Y(t.geom)))) / pi()) / 2.0 * s.k
               - $3::int * 4096.0) AS py
  FROM {{table}} t, s
  WHERE t.geom && s.env_4326 AND {{where}}
  -- OFFSET 0 keeps the planner from pushing the tile-space test below into this scan, which
  -- would evaluate the Mercator formulas four more times per point (25 % of a dense z12 tile).
  OFFSET 0
)
SELECT p.id, {{p_properties}}, ST_MakePoint(p.px, p.py) AS geom
FROM p
WHERE p.px BETWEEN -64 AND 4160 AND p.py BETWEEN -64 AND 4160
