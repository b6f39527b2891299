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
    -- along the unit in its local plane (a uniform scale within 1e-4, so the fraction holds);
    -- a unit in pieces (a road with a gap) is measured on its GK-zone line instead
    SELECT CASE WHEN GeometryType(u.geom_local) = 'LINESTRING'
                THEN u.start_m + u.length_m * ST_LineLocatePoint(u.geom_local,
                       ST_ClosestPoint(u.geom_local, ST_Scale(ST_SetSRID(h.site_geom, 0), u.kx, u.ky)))
                ELSE measure_at(u.geom_m, ST_ClosestPoint(u.geom_m, ST_Transform(h.site_geom, ST_SRID(u.geom_m))))
           END AS stake_m
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
-- candidate whose disc covers the most still-uncovered length. The stretches are cut into pieces
-- of at most p_step_m; candidates are the pieces' midpoints; the length of each piece inside
-- each candidate's disc is computed once (segment-circle intersection, in one GK zone), and a
-- pick only subtracts the pieces it covers from the gains of the candidates that reach them,
-- instead of geometry operations on the whole network. A piece counts as covered once a pick
-- covers half of it. Returns the site, its rank and the metres it covers.
CREATE FUNCTION suggest_bin_sites(p_road_ids bigint[], p_distance_m double precision, p_count integer,
                                  p_step_m double precision DEFAULT 100)
RETURNS TABLE (rank integer, geom geometry, covers_m double precision)
LANGUAGE plpgsql STABLE AS $$
DECLARE
  srid integer;
  xa double precision[]; ya double precision[];   -- pieces A→B in the zone
  xb double precision[]; yb double precision[];
  lens double precision[];
  covered boolean[];
  pair_c integer[];          -- (candidate, piece, metres of the piece inside the candidate's disc)
  pair_p integer[];
  pair_m double precision[];
  gains double precision[];  -- per candidate: metres of still-uncovered pieces in its disc
  by_piece integer[];        -- pair indexes ordered by piece
  first_of_c integer[];      -- first pair of each candidate (pairs are ordered by candidate)
  first_of_p integer[];      -- first position in by_piece of each piece
  best record;
  piece integer;
  j integer;
  jj integer;
BEGIN
  SELECT metric_srid(ST_Collect(r.geom)) INTO srid FROM roads r WHERE r.id = ANY (p_road_ids);
  IF srid IS NULL THEN
    RETURN;
  END IF;
  SELECT array_agg(ST_X(ST_StartPoint(s.geom)) ORDER BY c.road_id, s.path), array_agg(ST_Y(ST_StartPoint(s.geom)) ORDER BY c.road_id, s.path),
         array_agg(ST_X(ST_EndPoint(s.geom)) ORDER BY c.road_id, s.path), array_agg(ST_Y(ST_EndPoint(s.geom)) ORDER BY c.road_id, s.path),
         array_agg(ST_Length(s.geom) ORDER BY c.road_id, s.path)
  INTO xa, ya, xb, yb, lens
  FROM facility_coverage(p_road_ids, p_distance_m) c
  CROSS JOIN LATERAL ST_DumpSegments(ST_Segmentize(ST_Transform(c.uncovered, srid), p_step_m)) s
  WHERE NOT ST_IsEmpty(c.uncovered);
  IF lens IS NULL THEN
    RETURN;
  END IF;
  covered := array_fill(false, ARRAY[cardinality(lens)]);
  -- Candidate C = a piece's midpoint; pieces within reach through a grid of p_distance_m cells
  -- (a hash join on the 3×3 neighbourhood); the part of piece A + t·(B − A), t in [0, 1], with
  -- |P − C| ≤ R from the roots of the quadratic in t.
  WITH q AS (
    SELECT i::int AS i, xa[i] AS x1, ya[i] AS y1, xb[i] - xa[i] AS dx, yb[i] - ya[i] AS dy, lens[i] AS len,
           (xa[i] + xb[i]) / 2 AS mx, (ya[i] + yb[i]) / 2 AS my,
           floor((xa[i] + xb[i]) / 2 / p_distance_m)::int AS gx, floor((ya[i] + yb[i]) / 2 / p_distance_m)::int AS gy
    FROM generate_subscripts(lens, 1) AS i
  ), pairs AS (
    SELECT c.i AS ci, p.i AS pi, p.len,
           p.dx ^ 2 + p.dy ^ 2 AS qa,
           2 * (p.dx * (p.x1 - c.mx) + p.dy * (p.y1 - c.my)) AS qb,
           (p.x1 - c.mx) ^ 2 + (p.y1 - c.my) ^ 2 - p_distance_m ^ 2 AS qc
    FROM q c
    CROSS JOIN generate_series(-1, 1) AS gdx
    CROSS JOIN generate_series(-1, 1) AS gdy
    JOIN q p ON p.gx = c.gx + gdx AND p.gy = c.gy + gdy
    WHERE p.len > 0
  ), clipped AS (
    SELECT ci, pi, len * greatest(0,
             least(1, (-qb + sqrt(qb ^ 2 - 4 * qa * qc)) / (2 * qa))
           - greatest(0, (-qb - sqrt(qb ^ 2 - 4 * qa * qc)) / (2 * qa))) AS m
    FROM pairs
    WHERE qb ^ 2 - 4 * qa * qc > 0
  )
  SELECT array_agg(ci ORDER BY ci, pi), array_agg(pi ORDER BY ci, pi), array_agg(m ORDER BY ci, pi)
  INTO pair_c, pair_p, pair_m FROM clipped WHERE m > 0;
  -- Gains per candidate, and each piece's pairs (to take a covered piece out of every gain).
  SELECT array_agg(coalesce(g.gain, 0) ORDER BY i) INTO gains
  FROM generate_subscripts(lens, 1) AS i
  LEFT JOIN (SELECT c, sum(m) AS gain FROM unnest(pair_c, pair_m) AS t(c, m) GROUP BY c) g ON g.c = i;
  SELECT array_agg(s.n ORDER BY pair_p[s.n], s.n) INTO by_piece FROM generate_subscripts(pair_p, 1) AS s(n);
  first_of_c := array_fill(0, ARRAY[cardinality(lens) + 1]);
  first_of_p := array_fill(0, ARRAY[cardinality(lens) + 1]);
  FOR j IN REVERSE cardinality(pair_c) .. 1 LOOP
    first_of_c[pair_c[j]] := j;
    first_of_p[pair_p[by_piece[j]]] := j;
  END LOOP;
  FOR k IN 1 .. p_count LOOP
    SELECT t.i AS c, t.g AS gain INTO best
    FROM unnest(gains) WITH ORDINALITY AS t(g, i)
    ORDER BY t.g DESC, t.i
    LIMIT 1;
    EXIT WHEN best.gain IS NULL OR best.gain < 1;
    rank := k;
    geom := ST_Transform(ST_SetSRID(ST_MakePoint((xa[best.c] + xb[best.c]) / 2, (ya[best.c] + yb[best.c]) / 2), srid), 4326);
    covers_m := best.gain;
    RETURN NEXT;
    j := first_of_c[best.c];
    WHILE j BETWEEN 1 AND cardinality(pair_c) AND pair_c[j] = best.c LOOP
      piece := pair_p[j];
      IF NOT covered[piece] AND pair_m[j] >= lens[piece] / 2 THEN
        covered[piece] := true;
        jj := first_of_p[piece];
        WHILE jj BETWEEN 1 AND cardinality(by_piece) AND pair_p[by_piece[jj]] = piece LOOP
          gains[pair_c[by_piece[jj]]] := gains[pair_c[by_piece[jj]]] - pair_m[by_piece[jj]];
          jj := jj + 1;
        END LOOP;
      END IF;
      j := j + 1;
    END LOOP;
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
