-- Findings: what the server works out from a finding's place (issue "The remediation workflow").
-- A trigger, so that item writes, imports, the demo seed and psql all get the same answer:
--   * village: the village polygon holding the point;
--   * road_code and stake: the nearest road within the 30 m corridor (the corridor analysis's
--     default width) and the stake of the point on it (K3+250), measured like /api/roads/{id}/stake;
--   * repeat_of: the latest earlier finding (found_at before this one, at most 90 days before) of the
--     same category within 20 m. Rows written earlier in the same statement count, so an import
--     sorted by found_at links its own repeats; a finding written later but found earlier does not
--     relink the ones after it.
-- The four are derived: on an update that moves neither place, category nor time they keep their
-- values (a PUT that leaves them out does not clear them).
-- photo_ids must name uploaded photos (an array column cannot have a foreign key).

CREATE FUNCTION findings_derive() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF cardinality(NEW.photo_ids) > 0 AND (TG_OP = 'INSERT' OR NEW.photo_ids IS DISTINCT FROM OLD.photo_ids) THEN
    IF EXISTS (SELECT 1 FROM unnest(NEW.photo_ids) AS u(pid) WHERE NOT EXISTS (SELECT 1 FROM photos p WHERE p.id = u.pid)) THEN
      RAISE EXCEPTION 'photo_ids names a photo that does not exist' USING ERRCODE = '23514', CONSTRAINT = 'findings_photos_exist';
    END IF;
  END IF;
  IF TG_OP = 'UPDATE' AND ST_AsEWKB(NEW.geom) = ST_AsEWKB(OLD.geom) AND NEW.category = OLD.category AND NEW.found_at = OLD.found_at THEN
    NEW.village := OLD.village;
    NEW.road_code := OLD.road_code;
    NEW.stake := OLD.stake;
    NEW.repeat_of := OLD.repeat_of;
    RETURN NEW;
  END IF;
  NEW.village := (SELECT v.name FROM villages v WHERE ST_Intersects(v.geom, NEW.geom) ORDER BY v.id LIMIT 1);
  NEW.road_code := NULL;
  NEW.stake := NULL;
  -- The geography index on roads serves ST_DWithin; road_lines holds each road measured in metres.
  SELECT r.code, stake_label(measure_at(rl.geom_m, ST_Transform(NEW.geom, rl.srid)))
    INTO NEW.road_code, NEW.stake
  FROM roads r JOIN road_lines rl ON rl.road_id = r.id
  WHERE ST_DWithin(r.geom::geography, NEW.geom::geography, 30)
  ORDER BY ST_Distance(r.geom::geography, NEW.geom::geography), r.id
  LIMIT 1;
  NEW.repeat_of := (
    SELECT f.id FROM findings f
    WHERE f.category = NEW.category AND f.id <> NEW.id
      AND f.found_at < NEW.found_at AND f.found_at >= NEW.found_at - interval '90 days'
      AND ST_DWithin(f.geom::geography, NEW.geom::geography, 20)
    ORDER BY f.found_at DESC, f.id DESC
    LIMIT 1);
  RETURN NEW;
END $$;

CREATE TRIGGER findings_derive BEFORE INSERT OR UPDATE ON findings FOR EACH ROW EXECUTE FUNCTION findings_derive();
CREATE INDEX findings_category_found_idx ON findings (category, found_at);

-- Hotspots: findings found in [p_from, p_to) clustered per category by DBSCAN with a radius of
-- p_eps_m metres and at least p_min findings (a finding within p_eps_m of a core finding joins its
-- cluster). Clustered in the CGCS2000 Gauss-Krüger zone of the findings' centre, where metres are
-- true to well under 0.1 %.
CREATE FUNCTION finding_hotspots(p_from timestamptz, p_to timestamptz, p_eps_m double precision, p_min integer, p_categories text[] DEFAULT NULL)
RETURNS TABLE (category text, n integer, finding_ids bigint[], geom geometry, radius_m double precision,
               first_found_at timestamptz, last_found_at timestamptz, village text, road_code text, stake text)
LANGUAGE sql STABLE AS $$
  WITH sel AS (
    SELECT f.id, f.category, f.geom, f.found_at, f.village, f.road_code, f.stake FROM findings f
    WHERE f.found_at >= p_from AND f.found_at < p_to
      AND (p_categories IS NULL OR f.category = ANY (p_categories))
  ), zone AS (
    SELECT metric_srid(ST_Collect(geom)) AS srid FROM sel
  ), clustered AS (
    SELECT sel.*, ST_ClusterDBSCAN(ST_Transform(sel.geom, zone.srid), p_eps_m, p_min) OVER (PARTITION BY sel.category) AS cid
    FROM sel, zone
  )
  SELECT c.category, count(*)::int, array_agg(c.id ORDER BY c.found_at, c.id),
         ST_Centroid(ST_Collect(c.geom)),
         max(ST_Distance(c.geom::geography, sub.centre::geography)),
         min(c.found_at), max(c.found_at),
         mode() WITHIN GROUP (ORDER BY c.village), mode() WITHIN GROUP (ORDER BY c.road_code),
         (array_agg(c.stake ORDER BY c.found_at DESC))[1]
  FROM clustered c
  JOIN (SELECT cl.category AS cat, cl.cid AS id, ST_Centroid(ST_Collect(cl.geom)) AS centre FROM clustered cl WHERE cl.cid IS NOT NULL GROUP BY cl.category, cl.cid) sub
    ON sub.cat = c.category AND sub.id = c.cid
  GROUP BY c.category, c.cid
  HAVING count(*) >= p_min
  ORDER BY count(*) DESC, max(c.found_at) DESC
$$;
