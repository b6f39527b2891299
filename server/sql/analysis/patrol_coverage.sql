-- Patrol coverage of the 1 km road units (migration 005) of the given roads ($5) in a month.
-- A patrol covers a unit when its track runs within $3 metres of the unit along at least $4 of
-- the unit's length (setting patrol_coverage). Months are calendar months in Asia/Shanghai, so
-- they are given as the days [$1, $2) that patrols.patrolled_on holds.
--
-- Candidates, as the corridor analysis finds garbage points (migration 006): the plain GiST index
-- patrols_geom_idx finds the tracks in the unit's box grown by the buffer (metres turned into
-- degrees with the unit's kx, ky, plus a margin), probed once per unit. Everything else is measured
-- in the unit's local plane (road_units.geom_local: lon/lat scaled by kx, ky metres per degree at
-- its latitude, true to the ellipsoid within 1e-4 near it): the track is clipped to the grown box
-- (a 20 km track is not buffered whole for every unit it passes), scaled into that plane,
-- simplified by 0.5 m (GPS jitter), and the share is the length of the unit inside its buffer over
-- the unit's length. Measured on the demo township (110 patrols, 109 units, real PostGIS): the
-- geography route (ST_DWithin on patrols_geog_idx) spent 1.0 s deciding the 693 unit–track pairs
-- on the spheroid; the plane does it in 8 ms and the whole query takes about 0.2 s.
--
-- Per unit: the best single patrol's share this month, the patrols this month that cover it, their
-- inspectors, the last day a patrol covered it (up to the month's end) and whether one ever did.
WITH u AS (
  SELECT u.id, u.road_id, u.k, u.length_m, u.village, u.geom, u.kx, u.ky, u.geom_local,
         ST_Length(u.geom_local) AS local_length
  FROM road_units u
  WHERE u.road_id = ANY ($5::bigint[])
), near AS (
  SELECT u.id AS unit_id, p.id AS patrol_id, p.patrolled_on, p.inspector,
         ST_Length(ST_Intersection(u.geom_local, ST_Buffer(ST_Simplify(c.track_local, 0.5), $3::float8, 8))) / nullif(u.local_length, 0) AS share
  FROM u
  JOIN patrols p
    -- index: patrols_geom_idx, probed once per unit with its box grown by the buffer
    ON p.geom && ST_Expand(u.geom, $3 * 1.002 / u.kx + 1e-7, $3 * 1.002 / u.ky + 1e-7)
  CROSS JOIN LATERAL (
    SELECT ST_Scale(ST_SetSRID(ST_ClipByBox2D(p.geom, ST_Expand(u.geom::box2d, $3 * 1.01 / u.kx + 1e-6, $3 * 1.01 / u.ky + 1e-6)), 0), u.kx, u.ky) AS track_local
    OFFSET 0
  ) c
  WHERE p.patrolled_on < $2::date
    AND ST_DWithin(c.track_local, u.geom_local, $3::float8)
), per_unit AS (
  SELECT unit_id,
         max(share) FILTER (WHERE patrolled_on >= $1::date) AS month_share,
         count(*) FILTER (WHERE patrolled_on >= $1::date AND share >= $4::float8)::int AS month_patrols,
         array_agg(DISTINCT inspector ORDER BY inspector) FILTER (WHERE patrolled_on >= $1::date AND share >= $4::float8) AS inspectors,
         max(patrolled_on) FILTER (WHERE share >= $4::float8) AS last_patrolled_on,
         coalesce(bool_or(share >= $4::float8), false) AS ever
  FROM near
  GROUP BY unit_id
)
SELECT u.id AS unit_id, u.road_id, r.code AS road_code, u.k, u.length_m, u.village,
       coalesce(pu.month_share, 0) AS month_share,
       coalesce(pu.month_patrols, 0) AS month_patrols,
       coalesce(pu.inspectors, '{}') AS inspectors,
       to_char(pu.last_patrolled_on, 'YYYY-MM-DD') AS last_patrolled_on,
       coalesce(pu.ever, false) AS ever,
       ST_AsGeoJSON(u.geom, 7) AS geometry
FROM u
JOIN roads r ON r.id = u.road_id
LEFT JOIN per_unit pu ON pu.unit_id = u.id
ORDER BY u.village NULLS LAST, r.code, u.road_id, u.k
