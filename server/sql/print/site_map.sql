-- What a small printed map shows inside a frame ($1..$4 = west, south, east, north): the villages
-- and roads meeting it, simplified to about a pixel ($5 degrees), as GeoJSON in longitude/latitude.
WITH frame AS (SELECT ST_MakeEnvelope($1, $2, $3, $4, 4326) AS env)
SELECT 'village' AS kind, v.name AS label, NULL::text AS class,
       ST_AsGeoJSON(ST_SimplifyPreserveTopology(v.geom, $5), 6) AS geojson
FROM villages v, frame WHERE v.geom && frame.env
UNION ALL
SELECT 'road', r.code, r.class, ST_AsGeoJSON(ST_Simplify(r.geom, $5), 6)
FROM roads r, frame WHERE r.geom && frame.env
