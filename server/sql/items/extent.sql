-- A collection's spatial and temporal extent for /api/collections.
SELECT ST_XMin(e) AS xmin, ST_YMin(e) AS ymin, ST_XMax(e) AS xmax, ST_YMax(e) AS ymax,
       tmin, tmax, n
FROM (
  SELECT ST_Extent(t.geom)::geometry AS e, min(t.{{temporal}}) AS tmin, max(t.{{temporal}}) AS tmax, count(*)::int AS n
  FROM {{table}} t
) s
