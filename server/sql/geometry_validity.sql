-- Which of the given GeoJSON geometries GEOS finds invalid (self-intersecting rings, a hole
-- outside its shell, …), with GEOS's reason and the place. Indexes are 0-based into $1.
SELECT (u.ord - 1)::int AS idx, ST_IsValidReason(g.geom) AS reason
FROM unnest($1::text[]) WITH ORDINALITY AS u(j, ord),
     LATERAL (SELECT ST_GeomFromGeoJSON(u.j) AS geom) AS g
WHERE NOT ST_IsValid(g.geom)
