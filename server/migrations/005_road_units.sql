-- Linear referencing: each road's centre line measured in metres from its start, cut into 1 km
-- units (K0+000, K1+000, …) that belong to the village holding most of their length.
--
-- Measures are geodesic: a road's length is ST_Length on the spheroid, and the measure runs along
-- the line in its CGCS2000 3-degree Gauss-Krüger zone (scale error under 0.03 % inside a zone),
-- scaled so that the end carries the geodesic length. Degree fractions (ST_LineLocatePoint in
-- 4326) would be tens of metres off on curves.

-- The CGCS2000 3-degree GK zone (EPSG:4534 … 4554, central meridians 75°E … 135°E, no zone
-- prefix) whose central meridian is nearest the geometry's centre.
CREATE FUNCTION metric_srid(g geometry) RETURNS integer
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
  SELECT 4534 + least(20, greatest(0, round((ST_X(ST_Centroid(g)) - 75.0) / 3.0)::int))
$$;

-- Measure (metres from the start) at the point of a measured line closest to pt; works on
-- multi-part lines, where ST_InterpolatePoint alone does not.
CREATE FUNCTION measure_at(line_m geometry, pt geometry) RETURNS double precision
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
  SELECT ST_InterpolatePoint(d.geom, pt)
  FROM ST_Dump(line_m) AS d
  ORDER BY ST_Distance(d.geom, pt)
  LIMIT 1
$$;

-- Metres per degree of longitude and of latitude at a latitude, on the WGS84 ellipsoid (the
-- prime-vertical and meridian radii of curvature). Scaling lon/lat by them gives a plane that is
-- true to the ellipsoid near that latitude: within 1 km of it lengths are off by under 1e-4.
CREATE FUNCTION m_per_deg_lon(lat double precision) RETURNS double precision
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
  SELECT pi() / 180 * 6378137.0 * cos(radians(lat)) / sqrt(1 - 0.00669437999014 * sin(radians(lat)) ^ 2)
$$;
CREATE FUNCTION m_per_deg_lat(lat double precision) RETURNS double precision
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
  SELECT pi() / 180 * 6378137.0 * (1 - 0.00669437999014) / (1 - 0.00669437999014 * sin(radians(lat)) ^ 2) ^ 1.5
$$;

-- 'K3+250' for 3250.4 m.
CREATE FUNCTION stake_label(m double precision) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
  SELECT 'K' || (round(m)::bigint / 1000) || '+' || lpad((round(m)::bigint % 1000)::text, 3, '0')
$$;

CREATE TABLE road_lines (
  road_id  bigint PRIMARY KEY REFERENCES roads(id) ON DELETE CASCADE,
  srid     integer NOT NULL,
  length_m double precision NOT NULL,
  -- the centre line in its GK zone with M = metres from the start
  geom_m   geometry NOT NULL
);

CREATE TABLE road_units (
  id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  road_id    bigint NOT NULL REFERENCES roads(id) ON DELETE CASCADE,
  k          integer NOT NULL,
  start_m    double precision NOT NULL,
  end_m      double precision NOT NULL,
  length_m   double precision NOT NULL,
  village_id bigint REFERENCES villages(id) ON DELETE SET NULL,
  village    text,
  geom       geometry(Geometry, 4326) NOT NULL,
  -- The unit in a plane local to it (see m_per_deg_lon): geom scaled by kx, ky metres per degree
  -- at its middle latitude. Searches near a unit measure candidates here, cheaply, and decide the
  -- few near the limit on the spheroid (migration 006).
  kx         double precision NOT NULL,
  ky         double precision NOT NULL,
  geom_local geometry NOT NULL,
  -- the unit's piece of road_lines.geom_m (GK zone, M = metres from the road's start), to give
  -- stakes without walking the whole road
  geom_m     geometry NOT NULL,
  UNIQUE (road_id, k)
);
CREATE INDEX road_units_geom_idx ON road_units USING gist (geom);
CREATE INDEX road_units_geog_idx ON road_units USING gist ((geom::geography));
CREATE INDEX road_units_village_idx ON road_units (village);

-- The unit a measure falls in (the last unit also takes the road's very end).
CREATE FUNCTION unit_at(p_road_id bigint, m double precision) RETURNS bigint
LANGUAGE sql STABLE STRICT AS $$
  SELECT id FROM road_units
  WHERE road_id = p_road_id AND start_m <= m
  ORDER BY k DESC
  LIMIT 1
$$;

-- Village holding most of each unit's length, for the units of one road (p_road_id) or the
-- units whose box meets p_area; NULL for both means every unit.
CREATE FUNCTION assign_unit_villages(p_road_id bigint, p_area geometry DEFAULT NULL) RETURNS void
LANGUAGE sql AS $$
  UPDATE road_units u
  SET (village_id, village) = (
    SELECT v.id, v.name
    FROM villages v
    WHERE v.geom && u.geom AND ST_Intersects(v.geom, u.geom)
    ORDER BY ST_Length(ST_Intersection(v.geom, u.geom)::geography) DESC, v.id
    LIMIT 1
  )
  WHERE (p_road_id IS NULL OR u.road_id = p_road_id)
    AND (p_area IS NULL OR u.geom && p_area)
$$;

-- Rebuilds a road's measured line and units. A remainder under 1 m joins the last unit, so a
-- road of exactly N km has N units and no 0 m tail; the last unit is otherwise shorter.
CREATE FUNCTION rebuild_road_units(p_road_id bigint) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
  r record;
  line geometry;
  n integer;
BEGIN
  DELETE FROM road_units WHERE road_id = p_road_id;
  DELETE FROM road_lines WHERE road_id = p_road_id;
  SELECT id, geom, metric_srid(geom) AS srid, ST_Length(geom::geography) AS length_m
  INTO r FROM roads WHERE id = p_road_id;
  IF NOT FOUND THEN
    RETURN;
  END IF;
  line := ST_Transform(CASE WHEN GeometryType(r.geom) = 'MULTILINESTRING' AND ST_NumGeometries(ST_LineMerge(r.geom)) = 1
                            THEN ST_LineMerge(r.geom) ELSE r.geom END, r.srid);
  INSERT INTO road_lines (road_id, srid, length_m, geom_m)
  VALUES (r.id, r.srid, r.length_m, ST_AddMeasure(line, 0, r.length_m));
  n := greatest(1, ceil((r.length_m - 1.0) / 1000.0)::int);
  INSERT INTO road_units (road_id, k, start_m, end_m, length_m, geom, kx, ky, geom_local, geom_m)
  SELECT r.id, k, k * 1000.0, e, e - k * 1000.0, u.g, sc.kx, sc.ky, ST_Scale(ST_SetSRID(u.g, 0), sc.kx, sc.ky), u.piece
  FROM road_lines rl,
       generate_series(0, n - 1) AS k,
       LATERAL (SELECT CASE WHEN k = n - 1 THEN r.length_m ELSE (k + 1) * 1000.0 END AS e) AS x,
       LATERAL (SELECT ST_CollectionExtract(ST_LocateBetween(rl.geom_m, k * 1000.0, e), 2) AS piece) AS p,
       LATERAL (SELECT p.piece, ST_Transform(ST_LineMerge(ST_Force2D(p.piece)), 4326) AS g) AS u,
       LATERAL (SELECT m_per_deg_lon(mid) AS kx, m_per_deg_lat(mid) AS ky
                FROM (SELECT (ST_YMin(u.g) + ST_YMax(u.g)) / 2 AS mid) AS l) AS sc
  WHERE rl.road_id = r.id;
  PERFORM assign_unit_villages(r.id);
END $$;

CREATE FUNCTION road_units_follow_road() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    RETURN NULL; -- the units go with the road (ON DELETE CASCADE)
  END IF;
  PERFORM rebuild_road_units(NEW.id);
  RETURN NULL;
END $$;

CREATE TRIGGER roads_units AFTER INSERT OR UPDATE OF geom ON roads
  FOR EACH ROW EXECUTE FUNCTION road_units_follow_road();

-- A village drawn, moved or renamed changes which units it holds: reassign the units it
-- touched before or touches now.
CREATE FUNCTION road_units_follow_village() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP <> 'INSERT' THEN
    PERFORM assign_unit_villages(NULL, OLD.geom);
  END IF;
  IF TG_OP <> 'DELETE' THEN
    PERFORM assign_unit_villages(NULL, NEW.geom);
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER villages_units AFTER INSERT OR DELETE OR UPDATE OF geom, name ON villages
  FOR EACH ROW EXECUTE FUNCTION road_units_follow_village();

-- Units are part of what a road change announces (tiles of units follow their road).
CREATE TRIGGER road_units_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON road_units
  FOR EACH STATEMENT EXECUTE FUNCTION notify_collection_change();
