-- One page of a collection's items, each row one GeoJSON Feature as text (the route joins them
-- without parsing). {{table}}, {{properties}} and {{where}} are built from
-- server/collections/registry.ts, never from the request; values arrive as $n parameters.
-- The bbox condition `t.geom && envelope` is what the GiST index on geom serves.
SELECT json_build_object(
         'type', 'Feature',
         'id', t.id,
         'geometry', ST_AsGeoJSON(t.geom, 8)::json,
         'properties', json_build_object({{properties}})
       )::text AS feature
FROM {{table}} t
WHERE {{where}}
ORDER BY t.id
LIMIT {{limit}} OFFSET {{offset}}
