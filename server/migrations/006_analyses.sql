-- The numbers officials are judged by, as SQL functions shared by the API, the tests and psql.
-- Distances are geodesic (geography). Searches near roads go unit by unit (1 km road_units):
-- the plain GiST index of the searched table finds what lies in the unit's box grown by the
-- limit, the unit's local plane (road_units.geom_local, true to the ellipsoid within 1e-4) sorts
-- the candidates cheaply, and the spheroid decides those near the limit. Elsewhere ST_DWithin on
-- geography uses the geography indexes of migration 001. Lengths along roads use road_lines'
-- measures (migration 005). Each function takes every rule as a parameter; the routes read the
-- defaults from settings and state what they used.

-- Structures that break the setback of the given roads: demolition sites of the given kinds and
-- statuses closer than the road's limit to its reference line. With p_edge the distance is
-- measured to the edge line (centre-line distance minus width_m / 2, never below 0; a road
-- without width falls back to its centre line). The limit is p_distance_m, or the road class's
-- entry of p_by_class when p_distance_m is NULL. A structure near several roads is reported once,
-- against the nearest road whose setback it breaks, with the stake of its nearest point.
CREATE FUNCTION setback_violations(
  p_road_ids bigint[],
  p_distance_m double precision,
  p_by_class jsonb,
  p_edge boolean,
  p_statuses text[],
  p_kinds text[]
) RETURNS TABLE (
  site_id bigint, kind text, status text, road_id bigint, road_code text,
  distance_m double precision, limit_m double precision, stake_m double precision,
  unit_id bigint, village text
)
LANGUAGE sql STABLE AS $$
  WITH r AS MATERIALIZED (
    SELECT r.id, r.code, r.geom,
           CASE WHEN p_edge THEN coalesce(r.width_m, 0) / 2 ELSE 0 END AS half_m,
           coalesce(p_distance_m, (p_by_class ->> r.class)::double precision, 10) AS limit_m
    FROM roads r
    WHERE r.id = ANY (p_road_ids)
  ), near AS (
    -- Candidates with their nearest unit of each road, measured in the units' local planes
    -- (road_units.geom_local) with a margin far above that plane's error.
    SELECT DISTINCT ON (s.id, r.id) s.id AS site_id, r.id AS road_id, u.id AS unit_id, c.local_m
    FROM r
    JOIN road_units u ON u.road_id = r.id
    JOIN demolition_sites s
      -- index: demolition_sites_geom_idx, probed once per 1 km unit with its box grown by the limit
      ON s.geom && ST_Expand(u.geom, (r.half_m + r.limit_m) * 1.002 / u.kx + 1e-7,
                                     (r.half_m + r.limit_m) * 1.002 / u.ky + 1e-7)
    CROSS JOIN LATERAL (SELECT ST_Distance(ST_Scale(ST_SetSRID(s.geom, 0), u.kx, u.ky), u.geom_local) AS local_m OFFSET 0) c
    WHERE s.status = ANY (p_statuses) AND s.kind = ANY (p_kinds)
      AND c.local_m - r.half_m < r.limit_m * 1.002 + 0.01
    ORDER BY s.id, r.id, c.local_m, u.k
  ), hit AS (
    -- The spheroid decides, against the nearest unit; the nearest road wins.
    SELECT DISTINCT ON (s.id)
           s.id AS site_id, s.kind, s.status, s.geom AS site_geom, r.id AS road_id, r.code, n.unit_id,
           greatest(e.centre_m - r.half_m, 0) AS distance_m, r.limit_m
    FROM near n
    JOIN r ON r.id = n.road_id
    JOIN demolition_sites s ON s.id = n.site_id
    JOIN road_units u ON u.id = n.unit_id
    CROSS JOIN LATERAL (SELECT ST_Distance(u.geom::geography, s.geom::geography) AS centre_m OFFSET 0) e
    WHERE e.centre_m - r.half_m < r.limit_m
    ORDER BY s.id, greatest(e.centre_m - r.half_m, 0), r.id
  )
  SELECT h.site_id, h.kind, h.status, h.road_id, h.code, h.distance_m, h.limit_m, m.stake_m, h.unit_id,
         coalesce(
           (SELECT v.name FROM villages v WHERE ST_Intersects(v.geom, ST_PointOnSurface(h.site_geom)) ORDER BY v.id LIMIT 1),
           u.village)
  FROM hit h
  JOIN road_units u ON u.id = h.unit_id
  CROSS JOIN LATERAL (
    SELECT measure_at(u.geom_m, ST_ClosestPoint(u.geom_m, ST_Transform(h.site_geom, ST_SRID(u.geom_m)))) AS stake_m
  ) m
$$;

-- Garbage points on the given roads' corridors that were open at some time in [p_from, p_to):
-- within p_corridor_m of a selected road, with the 1 km unit nearest them, and how long they were
-- open in that window (days) and in all (until cleared, or p_to when still open).
CREATE FUNCTION corridor_points(
  p_road_ids bigint[],
  p_from timestamptz,
  p_to timestamptz,
  p_corridor_m double precision
) RETURNS TABLE (point_id bigint, road_id bigint, unit_id bigint,
                 open_days_in_window double precision, open_days double precision)
LANGUAGE sql STABLE AS $$
  WITH near AS (
    -- The nearest unit in its local plane (road_units.geom_local), with a margin far above that
    -- plane's error; a county month has hundreds of thousands of candidates.
    SELECT DISTINCT ON (g.id) g.id, g.geom, g.reported_at, g.cleared_at, u.road_id, u.id AS unit_id, c.local_m
    FROM road_units u
    JOIN garbage_points g
      -- index: garbage_points_geom_idx, probed once per 1 km unit with its box grown by the corridor
      ON g.geom && ST_Expand(u.geom, p_corridor_m * 1.002 / u.kx + 1e-7, p_corridor_m * 1.002 / u.ky + 1e-7)
    CROSS JOIN LATERAL (SELECT ST_Distance(ST_Scale(ST_SetSRID(g.geom, 0), u.kx, u.ky), u.geom_local) AS local_m OFFSET 0) c
    WHERE u.road_id = ANY (p_road_ids)
      AND g.reported_at < p_to AND (g.cleared_at IS NULL OR g.cleared_at > p_from)
      AND c.local_m <= p_corridor_m * 1.002 + 0.01
    ORDER BY g.id, c.local_m, u.road_id, u.k
  )
  SELECT n.id, n.road_id, n.unit_id,
         extract(epoch FROM least(coalesce(n.cleared_at, p_to), p_to) - greatest(n.reported_at, p_from)) / 86400.0,
         extract(epoch FROM least(coalesce(n.cleared_at, p_to), p_to) - n.reported_at) / 86400.0
  FROM near n
  -- clearly inside, or decided on the spheroid
  WHERE n.local_m < p_corridor_m * 0.998 - 0.01
     OR ST_DWithin(n.geom::geography, (SELECT u.geom FROM road_units u WHERE u.id = n.unit_id)::geography, p_corridor_m)
$$;

-- Each unit of the given roads graded for [p_from, p_to) by p_grades
-- {excellent_max_open_points, qualified_max_open_points, qualified_max_open_days}.
CREATE FUNCTION corridor_units(
  p_road_ids bigint[],
  p_from timestamptz,
  p_to timestamptz,
  p_corridor_m double precision,
  p_grades jsonb
) RETURNS TABLE (unit_id bigint, road_id bigint, road_code text, k integer, length_m double precision,
                 village text, open_points integer, open_point_days double precision,
                 max_open_days double precision, grade text)
LANGUAGE sql STABLE AS $$
  WITH pts AS (
    SELECT * FROM corridor_points(p_road_ids, p_from, p_to, p_corridor_m)
  ), per_unit AS (
    SELECT u.id, u.road_id, r.code, u.k, u.length_m, u.village,
           count(p.point_id)::int AS open_points,
           coalesce(sum(p.open_days_in_window), 0) AS open_point_days,
           coalesce(max(p.open_days), 0) AS max_open_days
    FROM road_units u
    JOIN roads r ON r.id = u.road_id
    LEFT JOIN pts p ON p.unit_id = u.id
    WHERE u.road_id = ANY (p_road_ids)
    GROUP BY u.id, u.road_id, r.code, u.k, u.length_m, u.village
  )
  SELECT id, road_id, code, k, length_m, village, open_points, open_point_days, max_open_days,
         CASE
           WHEN open_points <= (p_grades ->> 'excellent_max_open_points')::int THEN 'excellent'
           WHEN open_points <= (p_grades ->> 'qualified_max_open_points')::int
                AND max_open_days <= (p_grades ->> 'qualified_max_open_days')::double precision THEN 'qualified'
           ELSE 'unqualified'
         END
  FROM per_unit
$$;

-- Share of each road's length within p_distance_m of a garbage pool or bin in good condition,
-- with the covered and the uncovered stretches (WGS84). Covering discs are drawn in the road's GK
-- zone, where a metre is a metre to within 0.03 %.
CREATE FUNCTION facility_coverage(p_road_ids bigint[], p_distance_m double precision)
RETURNS TABLE (road_id bigint, length_m double precision, covered_m double precision,
               covered geometry, uncovered geometry)
LANGUAGE sql STABLE AS $$
  SELECT r.id, rl.length_m,
         -- lengths measured in the zone, scaled to the geodesic length of the whole road
         rl.length_m * ST_Length(cov.covered) / nullif(ST_Length(rl.geom_m), 0),
         ST_Transform(cov.covered, 4326),
         ST_Transform(ST_Difference(ST_Force2D(rl.geom_m), cov.zone), 4326)
  FROM roads r
  JOIN road_lines rl ON rl.road_id = r.id
  CROSS JOIN LATERAL (
    SELECT coalesce(ST_Union(ST_Buffer(ST_Transform(f.geom, rl.srid), p_distance_m, 32)),
                    ST_SetSRID('POLYGON EMPTY'::geometry, rl.srid)) AS zone
    FROM sanitation_facilities f
    -- index: sanitation_facilities_geog_idx
    WHERE ST_DWithin(f.geom::geography, r.geom::geography, p_distance_m)
      AND f.kind IN ('garbage_pool', 'bin') AND f.condition = 'good'
  ) z
  CROSS JOIN LATERAL (SELECT ST_Intersection(ST_Force2D(rl.geom_m), z.zone) AS covered, z.zone) cov
  WHERE r.id = ANY (p_road_ids)
$$;

-- Up to p_count new bin sites on the uncovered stretches, picked greedily: each time the
-- candidate (every p_step_m metres along the uncovered stretches) whose disc covers the most
-- still-uncovered length. Returns the site, its rank and the metres it covers.
CREATE FUNCTION suggest_bin_sites(p_road_ids bigint[], p_distance_m double precision, p_count integer,
                                  p_step_m double precision DEFAULT 100)
RETURNS TABLE (rank integer, geom geometry, covers_m double precision)
LANGUAGE plpgsql STABLE AS $$
DECLARE
  srid integer;
  remaining geometry;
  best record;
BEGIN
  SELECT metric_srid(ST_Collect(r.geom)) INTO srid FROM roads r WHERE r.id = ANY (p_road_ids);
  IF srid IS NULL THEN
    RETURN;
  END IF;
  SELECT ST_Union(ST_Transform(c.uncovered, srid)) INTO remaining
  FROM facility_coverage(p_road_ids, p_distance_m) c WHERE NOT ST_IsEmpty(c.uncovered);
  FOR i IN 1 .. p_count LOOP
    EXIT WHEN remaining IS NULL OR ST_IsEmpty(remaining) OR ST_Length(remaining) < 1;
    SELECT cand.pt, ST_Length(ST_Intersection(remaining, ST_Buffer(cand.pt, p_distance_m, 32))) AS gain
    INTO best
    FROM (
      SELECT (ST_DumpPoints(ST_Segmentize(ST_Force2D(remaining), p_step_m))).geom AS pt
    ) cand
    ORDER BY 2 DESC, ST_X(cand.pt), ST_Y(cand.pt)
    LIMIT 1;
    EXIT WHEN best.gain IS NULL OR best.gain < 1;
    rank := i;
    geom := ST_Transform(best.pt, 4326);
    covers_m := best.gain;
    RETURN NEXT;
    remaining := ST_Difference(remaining, ST_Buffer(best.pt, p_distance_m, 32));
  END LOOP;
END $$;

-- Per road and side (left/right of the direction of travel from the road's start): length with
-- an afforestation plot within p_distance_m on that side.
CREATE FUNCTION green_corridor(p_road_ids bigint[], p_distance_m double precision)
RETURNS TABLE (road_id bigint, side text, length_m double precision, covered_m double precision)
LANGUAGE sql STABLE AS $$
  SELECT r.id, s.side, rl.length_m,
         rl.length_m * coalesce(ST_Length(ST_Intersection(line.g, ST_Buffer(ST_Intersection(pl.plots, ST_Buffer(line.g, p_distance_m, 'side=' || s.side)), p_distance_m + 0.01))), 0)
           / nullif(ST_Length(line.g), 0)
  FROM roads r
  JOIN road_lines rl ON rl.road_id = r.id
  CROSS JOIN LATERAL (SELECT ST_Force2D(rl.geom_m) AS g) line
  CROSS JOIN (VALUES ('left'), ('right')) AS s(side)
  CROSS JOIN LATERAL (
    SELECT coalesce(ST_Union(ST_Transform(a.geom, rl.srid)), ST_SetSRID('POLYGON EMPTY'::geometry, rl.srid)) AS plots
    FROM afforestation_plots a
    -- index: afforestation_plots_geog_idx
    WHERE ST_DWithin(a.geom::geography, r.geom::geography, p_distance_m)
  ) pl
  WHERE r.id = ANY (p_road_ids)
$$;

-- Afforestation plots with their geodesic area, for progress tables and the area check.
CREATE VIEW afforestation_plot_areas AS
SELECT a.id, a.plot_code, a.village, a.year, a.species, a.project, a.status,
       a.planned_mu, a.planted_mu,
       ST_Area(a.geom::geography) AS area_m2,
       ST_Area(a.geom::geography) / (10000.0 / 15.0) AS area_mu
FROM afforestation_plots a;
