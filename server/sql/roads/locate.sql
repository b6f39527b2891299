-- The point at a stake (metres from the start) of a road, in WGS84.
SELECT ST_X(pt) AS lon, ST_Y(pt) AS lat
FROM (
  SELECT ST_Transform(ST_Force2D(ST_GeometryN(ST_LocateAlong(rl.geom_m, least($2::float8, rl.length_m)), 1)), 4326) AS pt
  FROM road_lines rl WHERE rl.road_id = $1
) s
WHERE pt IS NOT NULL
