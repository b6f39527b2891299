-- Stake of a point on one road: metres from the road's start at the nearest point of the centre
-- line, the geodesic offset from the centre line, and the side (left/right of the direction of
-- travel). The side is the sign of the cross product of the line's direction at that point
-- (a metre either way along the line) and the vector to the point, in the road's GK zone.
WITH p AS (
  SELECT rl.road_id, rl.srid, rl.length_m, rl.geom_m, r.geom AS road_geom,
         ST_SetSRID(ST_MakePoint($2::float8, $3::float8), 4326) AS pt
  FROM road_lines rl JOIN roads r ON r.id = rl.road_id
  WHERE rl.road_id = $1
), m AS (
  SELECT p.*, measure_at(p.geom_m, ST_Transform(p.pt, p.srid)) AS stake_m, ST_Transform(p.pt, p.srid) AS pt_m FROM p
), dir AS (
  SELECT m.*,
         ST_GeometryN(ST_LocateAlong(m.geom_m, greatest(m.stake_m - 1, 0)), 1) AS a,
         ST_GeometryN(ST_LocateAlong(m.geom_m, least(m.stake_m + 1, m.length_m)), 1) AS b
  FROM m
)
SELECT stake_label(stake_m) AS stake, stake_m,
       ST_Distance(road_geom::geography, pt::geography) AS offset_m,
       CASE WHEN (ST_X(b) - ST_X(a)) * (ST_Y(pt_m) - ST_Y(a)) - (ST_Y(b) - ST_Y(a)) * (ST_X(pt_m) - ST_X(a)) > 0 THEN 'left'
            WHEN (ST_X(b) - ST_X(a)) * (ST_Y(pt_m) - ST_Y(a)) - (ST_Y(b) - ST_Y(a)) * (ST_X(pt_m) - ST_X(a)) < 0 THEN 'right'
            ELSE 'on' END AS side,
       unit_at(road_id, stake_m) AS unit_id
FROM dir
