-- Low-zoom point tiles from kept counts (issue 3/7 tile targets). A cluster tile at z ≤ 11 used
-- to read every point under it: 200,000 garbage points at z10 cost 50–200 ms, and a write drops
-- exactly those tiles. Here each point layer keeps, for every cluster zoom z (0–11) and every
-- cell of its tile grid (32×32 cells per tile, as tiles/clusters.sql groups them), the number of
-- points per style value, the sum of their positions and the smallest id. An unfiltered cluster
-- tile then reads at most 1,024 cells × a few style values (tiles/cluster-cells.sql); a filtered
-- one still reads the points.
-- Positions are whole units of 2^-28 of the Web Mercator world (0.15 m at the equator), so that
-- sums are exact bigints that writes add and subtract without drift, and a point's cell at zoom z
-- is its position shifted right by 23 - z bits (28 - (z + 5)).
-- The statement triggers below keep the table in step with every INSERT, UPDATE, DELETE and
-- TRUNCATE, whoever writes (API, import, psql), in the writer's own transaction.

CREATE FUNCTION cluster_qx(g geometry) RETURNS bigint LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT least(greatest(floor((ST_X(g) + 180.0) / 360.0 * 268435456.0), 0), 268435455)::bigint
$$;
CREATE FUNCTION cluster_qy(g geometry) RETURNS bigint LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT least(greatest(floor((1.0 - ln(tan(radians(least(greatest(ST_Y(g), -85.0511), 85.0511)))
         + 1.0 / cos(radians(least(greatest(ST_Y(g), -85.0511), 85.0511)))) / pi()) / 2.0 * 268435456.0), 0), 268435455)::bigint
$$;

CREATE TABLE cluster_cells (
  layer  text NOT NULL,
  z      smallint NOT NULL,
  cx     integer NOT NULL,
  cy     integer NOT NULL,
  -- the layer's style value (registry styleBy) as text; '' for none
  style  text NOT NULL,
  n      integer NOT NULL,
  sx     bigint NOT NULL,
  sy     bigint NOT NULL,
  -- NULL only inside a write whose statement removed the cell's smallest id (recomputed before
  -- the statement ends)
  id_min bigint,
  PRIMARY KEY (layer, z, cx, cy, style)
);
CREATE INDEX cluster_cells_id_unknown_idx ON cluster_cells (layer) WHERE id_min IS NULL;

-- Adds (sign 1) or removes (sign -1) a set of points, given as parallel arrays (the trigger reads
-- them from its transition tables with dynamic SQL, the only way to name each layer's style column).
CREATE FUNCTION cluster_cells_apply(p_layer text, p_sign integer, p_ids bigint[], p_styles text[], p_qx bigint[], p_qy bigint[])
RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  IF p_sign > 0 THEN
    -- Ordered so that concurrent writers lock shared cells (z0 holds one per style) in one order.
    INSERT INTO cluster_cells AS c (layer, z, cx, cy, style, n, sx, sy, id_min)
    SELECT p_layer, z, (d.qx >> (23 - z))::int, (d.qy >> (23 - z))::int, d.style,
           count(*), sum(d.qx), sum(d.qy), min(d.id)
    FROM unnest(p_ids, p_styles, p_qx, p_qy) AS d(id, style, qx, qy), generate_series(0, 11) z
    GROUP BY 2, 3, 4, 5
    ORDER BY 2, 3, 4, 5
    ON CONFLICT (layer, z, cx, cy, style) DO UPDATE
      SET n = c.n + excluded.n, sx = c.sx + excluded.sx, sy = c.sy + excluded.sy,
          id_min = CASE WHEN c.id_min IS NULL THEN NULL ELSE least(c.id_min, excluded.id_min) END;
  ELSE
    WITH gone AS (
      SELECT z, (d.qx >> (23 - z))::int AS cx, (d.qy >> (23 - z))::int AS cy, d.style,
             count(*) AS n, sum(d.qx) AS sx, sum(d.qy) AS sy, array_agg(d.id) AS ids
      FROM unnest(p_ids, p_styles, p_qx, p_qy) AS d(id, style, qx, qy), generate_series(0, 11) z
      GROUP BY 1, 2, 3, 4
      ORDER BY 1, 2, 3, 4
    )
    UPDATE cluster_cells c
    SET n = c.n - g.n, sx = c.sx - g.sx, sy = c.sy - g.sy,
        id_min = CASE WHEN c.id_min = ANY (g.ids) THEN NULL ELSE c.id_min END
    FROM gone g
    WHERE c.layer = p_layer AND c.z = g.z AND c.cx = g.cx AND c.cy = g.cy AND c.style = g.style;
    DELETE FROM cluster_cells WHERE layer = p_layer AND n <= 0;
  END IF;
END $$;

-- The cells whose smallest id left: look it up again among the layer's points in that cell
-- (the geom index finds the cell's candidates; the exact cell test keeps border points out).
CREATE FUNCTION cluster_cells_refresh_ids(p_layer text, p_style_col text) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  EXECUTE format($f$
    UPDATE cluster_cells c
    SET id_min = (
      SELECT min(t.id) FROM %I t
      WHERE t.geom && ST_MakeEnvelope(
              c.cx / 2.0 ^ (c.z + 5) * 360.0 - 180.0,
              degrees(atan(sinh(pi() * (1.0 - 2.0 * (c.cy + 1) / 2.0 ^ (c.z + 5))))),
              (c.cx + 1) / 2.0 ^ (c.z + 5) * 360.0 - 180.0,
              degrees(atan(sinh(pi() * (1.0 - 2.0 * c.cy / 2.0 ^ (c.z + 5))))), 4326)
        AND coalesce(t.%I::text, '') = c.style
        AND (cluster_qx(t.geom) >> (23 - c.z)) = c.cx AND (cluster_qy(t.geom) >> (23 - c.z)) = c.cy)
    WHERE c.layer = %L AND c.id_min IS NULL
  $f$, p_layer, p_style_col, p_layer);
END $$;

-- The rows of a transition table (or, for an UPDATE, the rows that changed cell or style: an
-- edited description leaves the counts alone) as the arrays cluster_cells_apply takes.
-- TG_ARGV[0]: the layer's style column.
CREATE FUNCTION cluster_cells_track() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  style_col text := TG_ARGV[0];
  changed text := format($f$
    FROM old_rows o JOIN new_rows n ON n.id = o.id
    WHERE (coalesce(o.%1$I::text, ''), cluster_qx(o.geom), cluster_qy(o.geom))
          IS DISTINCT FROM (coalesce(n.%1$I::text, ''), cluster_qx(n.geom), cluster_qy(n.geom))$f$, style_col);
  ids bigint[];
  styles text[];
  qx bigint[];
  qy bigint[];
BEGIN
  IF TG_OP = 'TRUNCATE' THEN
    DELETE FROM cluster_cells WHERE layer = TG_TABLE_NAME;
    RETURN NULL;
  END IF;
  IF TG_OP IN ('DELETE', 'UPDATE') THEN
    EXECUTE format('SELECT array_agg(o.id), array_agg(coalesce(o.%I::text, %L)), array_agg(cluster_qx(o.geom)), array_agg(cluster_qy(o.geom)) %s',
      style_col, '', CASE WHEN TG_OP = 'DELETE' THEN 'FROM old_rows o' ELSE changed END)
      INTO ids, styles, qx, qy;
    IF ids IS NOT NULL THEN
      PERFORM cluster_cells_apply(TG_TABLE_NAME, -1, ids, styles, qx, qy);
    END IF;
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    EXECUTE format('SELECT array_agg(n.id), array_agg(coalesce(n.%I::text, %L)), array_agg(cluster_qx(n.geom)), array_agg(cluster_qy(n.geom)) %s',
      style_col, '', CASE WHEN TG_OP = 'INSERT' THEN 'FROM new_rows n' ELSE changed END)
      INTO ids, styles, qx, qy;
    IF ids IS NOT NULL THEN
      PERFORM cluster_cells_apply(TG_TABLE_NAME, 1, ids, styles, qx, qy);
    END IF;
  END IF;
  IF TG_OP <> 'INSERT' THEN
    PERFORM cluster_cells_refresh_ids(TG_TABLE_NAME, style_col);
  END IF;
  RETURN NULL;
END $$;

-- The point layers and their style columns (registry: clusterStyle); test/db/cluster-cells.test.ts
-- checks that the list matches the registry.
DO $$
DECLARE
  l record;
  ids bigint[];
  styles text[];
  qx bigint[];
  qy bigint[];
BEGIN
  FOR l IN SELECT * FROM (VALUES ('garbage_points', 'status'), ('sanitation_facilities', 'kind'), ('findings', 'status')) v(layer, style) LOOP
    EXECUTE format('CREATE TRIGGER %I AFTER INSERT ON %I REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION cluster_cells_track(%L)', l.layer || '_cells_inserted', l.layer, l.style);
    EXECUTE format('CREATE TRIGGER %I AFTER UPDATE ON %I REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION cluster_cells_track(%L)', l.layer || '_cells_updated', l.layer, l.style);
    EXECUTE format('CREATE TRIGGER %I AFTER DELETE ON %I REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION cluster_cells_track(%L)', l.layer || '_cells_deleted', l.layer, l.style);
    EXECUTE format('CREATE TRIGGER %I AFTER TRUNCATE ON %I FOR EACH STATEMENT EXECUTE FUNCTION cluster_cells_track(%L)', l.layer || '_cells_truncated', l.layer, l.style);
    -- Points already there (an existing database).
    EXECUTE format('SELECT array_agg(id), array_agg(coalesce(%I::text, %L)), array_agg(cluster_qx(geom)), array_agg(cluster_qy(geom)) FROM %I', l.style, '', l.layer)
      INTO ids, styles, qx, qy;
    IF ids IS NOT NULL THEN
      PERFORM cluster_cells_apply(l.layer, 1, ids, styles, qx, qy);
    END IF;
  END LOOP;
END $$;
