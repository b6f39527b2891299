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

-- Adds (sign 1) or removes (sign -1) a set of points. `rows_sql` is a query giving
-- (id, style, qx, qy); the trigger builds it over its transition table (only the trigger's own
-- EXECUTE sees that table, hence text rather than a call). The points are grouped once into the
-- cells of the finest zoom, and the coarser zooms are summed from those cells (a cell at zoom z is
-- the finest cells shifted right by 11 - z bits): an import of 200,000 points groups 200,000 rows
-- once instead of twelve times.
CREATE FUNCTION cluster_cells_delta_sql(p_layer text, p_sign integer, rows_sql text) RETURNS text
LANGUAGE sql IMMUTABLE AS $f$
  SELECT format($q$
    WITH finest AS (
      SELECT (d.qx >> 12)::int AS cx, (d.qy >> 12)::int AS cy, d.style,
             count(*) AS n, sum(d.qx) AS sx, sum(d.qy) AS sy, min(d.id) AS id_min
      FROM (%s) d
      GROUP BY 1, 2, 3
    ), cells AS (
      SELECT z, f.cx >> (11 - z) AS cx, f.cy >> (11 - z) AS cy, f.style,
             sum(f.n) AS n, sum(f.sx) AS sx, sum(f.sy) AS sy, min(f.id_min) AS id_min
      FROM finest f, generate_series(0, 11) z
      GROUP BY 1, 2, 3, 4
    )
    %s
  $q$, rows_sql, CASE WHEN p_sign > 0 THEN format($i$
    -- Ordered so that concurrent writers lock shared cells (z0 holds one per style) in one order.
    INSERT INTO cluster_cells AS c (layer, z, cx, cy, style, n, sx, sy, id_min)
    SELECT %L, z, cx, cy, style, n, sx, sy, id_min FROM cells ORDER BY z, cx, cy, style
    ON CONFLICT (layer, z, cx, cy, style) DO UPDATE
      SET n = c.n + excluded.n, sx = c.sx + excluded.sx, sy = c.sy + excluded.sy,
          id_min = CASE WHEN c.id_min IS NULL THEN NULL ELSE least(c.id_min, excluded.id_min) END
  $i$, p_layer) ELSE format($u$
    UPDATE cluster_cells c
    SET n = c.n - g.n, sx = c.sx - g.sx, sy = c.sy - g.sy,
        -- The cell's smallest id is at most every id in it, so it left exactly when it equals the
        -- smallest of those removed: then it is looked up again (cluster_cells_refresh_ids).
        id_min = CASE WHEN c.id_min = g.id_min THEN NULL ELSE c.id_min END
    FROM (SELECT * FROM cells ORDER BY z, cx, cy, style) g
    WHERE c.layer = %L AND c.z = g.z AND c.cx = g.cx AND c.cy = g.cy AND c.style = g.style
  $u$, p_layer) END)
$f$;

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
-- edited description leaves the counts alone) added to or taken from the counts.
-- TG_ARGV[0]: the layer's style column.
CREATE FUNCTION cluster_cells_track() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  style_col text := TG_ARGV[0];
  changed text := format($f$
    FROM old_rows o JOIN new_rows n ON n.id = o.id
    WHERE (coalesce(o.%1$I::text, ''), cluster_qx(o.geom), cluster_qy(o.geom))
          IS DISTINCT FROM (coalesce(n.%1$I::text, ''), cluster_qx(n.geom), cluster_qy(n.geom))$f$, style_col);
BEGIN
  IF TG_OP = 'TRUNCATE' THEN
    DELETE FROM cluster_cells WHERE layer = TG_TABLE_NAME;
    RETURN NULL;
  END IF;
  IF TG_OP IN ('DELETE', 'UPDATE') THEN
    EXECUTE cluster_cells_delta_sql(TG_TABLE_NAME, -1,
      format('SELECT o.id, coalesce(o.%I::text, %L) AS style, cluster_qx(o.geom) AS qx, cluster_qy(o.geom) AS qy %s',
        style_col, '', CASE WHEN TG_OP = 'DELETE' THEN 'FROM old_rows o' ELSE changed END));
    DELETE FROM cluster_cells WHERE layer = TG_TABLE_NAME AND n <= 0;
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    EXECUTE cluster_cells_delta_sql(TG_TABLE_NAME, 1,
      format('SELECT n.id, coalesce(n.%I::text, %L) AS style, cluster_qx(n.geom) AS qx, cluster_qy(n.geom) AS qy %s',
        style_col, '', CASE WHEN TG_OP = 'INSERT' THEN 'FROM new_rows n' ELSE changed END));
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
BEGIN
  FOR l IN SELECT * FROM (VALUES ('garbage_points', 'status'), ('sanitation_facilities', 'kind'), ('findings', 'status')) v(layer, style) LOOP
    EXECUTE format('CREATE TRIGGER %I AFTER INSERT ON %I REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION cluster_cells_track(%L)', l.layer || '_cells_inserted', l.layer, l.style);
    EXECUTE format('CREATE TRIGGER %I AFTER UPDATE ON %I REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION cluster_cells_track(%L)', l.layer || '_cells_updated', l.layer, l.style);
    EXECUTE format('CREATE TRIGGER %I AFTER DELETE ON %I REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION cluster_cells_track(%L)', l.layer || '_cells_deleted', l.layer, l.style);
    EXECUTE format('CREATE TRIGGER %I AFTER TRUNCATE ON %I FOR EACH STATEMENT EXECUTE FUNCTION cluster_cells_track(%L)', l.layer || '_cells_truncated', l.layer, l.style);
    -- Points already there (an existing database).
    EXECUTE cluster_cells_delta_sql(l.layer, 1,
      format('SELECT id, coalesce(%I::text, %L) AS style, cluster_qx(geom) AS qx, cluster_qy(geom) AS qy FROM %I', l.style, '', l.layer));
  END LOOP;
END $$;
