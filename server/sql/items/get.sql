-- One item as a GeoJSON Feature (the same text as select.sql) and its version, from which the
-- route makes the ETag; both come from one read so they always describe the same row.
SELECT json_build_object(
         'type', 'Feature',
         'id', t.id,
         'geometry', ST_AsGeoJSON(t.geom, 8)::json,
         'properties', json_build_object({{properties}})
       )::text AS feature,
       t.version::text AS version
FROM {{table}} t
WHERE t.id = $1
