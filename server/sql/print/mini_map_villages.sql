-- Village outlines for a printed map, simplified to about 5 m, with a label point inside each.
SELECT name,
       ST_AsGeoJSON(ST_SimplifyPreserveTopology(geom, 0.00005), 6) AS geometry,
       ST_AsGeoJSON(ST_PointOnSurface(geom), 6) AS label
FROM villages
ORDER BY name, id
