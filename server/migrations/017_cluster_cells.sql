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
-- The triggers below keep the table in step with every INSERT, UPDATE, DELETE and TRUNCATE,
-- whoever writes (API, import, psql), in the writer's own transaction: each statement appends its
-- points, grouped into the finest cells, to cluster_cells_pending (no conflicts, no locks), and
-- once per transaction, at COMMIT, a deferred trigger merges them into cluster_cells. An import
-- that inserts in twenty batches of 10,000 thus merges once (measured: 7 s of upserts per
-- 200,000 points when every batch merged, 0.4 s merged at commit); readers never see a half.

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

-- Statements append here: the finest cells (zoom 11, 2^16 per side) of the points they added
-- (n > 0) or removed (n < 0), by transaction. removed_min: the smallest id removed from the cell.
CREATE TABLE cluster_cells_pending (
  txid        bigint NOT NULL DEFAULT txid_current(),
  layer       text NOT NULL,
  cx          integer NOT NULL,
  cy          integer NOT NULL,
  style       text NOT NULL,
  n           integer NOT NULL,
  sx          bigint NOT NULL,
  sy          bigint NOT NULL,
  added_min   bigint,
  removed_min bigint
);
CREATE INDEX cluster_cells_pending_txid_idx ON cluster_cells_pending (txid);

-- One row per transaction with pending cells; its deferred trigger does the merge at COMMIT.
CREATE TABLE cluster_cells_dirty (
  txid  bigint PRIMARY KEY DEFAULT txid_current(),
  -- layer → style column, for looking up smallest ids again
  styles jsonb NOT NULL DEFAULT '{}'
);

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

-- At COMMIT: this transaction's pending cells, summed per finest cell, then per cell of every
-- zoom (a cell at zoom z is the finest cells shifted right by 11 - z bits), go into cluster_cells
-- in one upsert ordered by key (concurrent committers lock shared cells in one order).
-- Smallest ids: a cell's id_min is at most every id in it, so it left exactly when it equals the
-- smallest id removed from the cell; such cells get NULL first and are looked up again at the end.
CREATE FUNCTION cluster_cells_merge() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  l record;
BEGIN
  IF EXISTS (SELECT 1 FROM cluster_cells_pending WHERE txid = NEW.txid AND removed_min IS NOT NULL) THEN
    WITH removed AS (
      SELECT layer, z, cx >> (11 - z) AS cx, cy >> (11 - z) AS cy, style, min(removed_min) AS removed_min
      FROM cluster_cells_pending, generate_series(0, 11) z
      WHERE txid = NEW.txid AND removed_min IS NOT NULL
      GROUP BY 1, 2, 3, 4, 5
    )
    UPDATE cluster_cells c SET id_min = NULL
    FROM removed r
    WHERE (c.layer, c.z, c.cx, c.cy, c.style) = (r.layer, r.z, r.cx, r.cy, r.style) AND c.id_min = r.removed_min;
  END IF;
  WITH mine AS (
    DELETE FROM cluster_cells_pending WHERE txid = NEW.txid RETURNING *
  ), finest AS (
    SELECT layer, cx, cy, style, sum(n) AS n, sum(sx) AS sx, sum(sy) AS sy,
           min(added_min) AS added_min, min(removed_min) AS removed_min
    FROM mine GROUP BY 1, 2, 3, 4
  ), cells AS (
    SELECT layer, z, f.cx >> (11 - z) AS cx, f.cy >> (11 - z) AS cy, style,
           sum(f.n) AS n, sum(f.sx) AS sx, sum(f.sy) AS sy, min(f.added_min) AS added_min, min(f.removed_min) AS removed_min
    FROM finest f, generate_series(0, 11) z
    GROUP BY 1, 2, 3, 4, 5
  )
  INSERT INTO cluster_cells AS c (layer, z, cx, cy, style, n, sx, sy, id_min)
  -- A point added and removed again within the transaction may have been the smallest added.
  SELECT layer, z, cx, cy, style, n, sx, sy,
         CASE WHEN removed_min IS NOT NULL AND removed_min <= added_min THEN NULL ELSE added_min END
  FROM cells ORDER BY 1, 2, 3, 4, 5
  ON CONFLICT (layer, z, cx, cy, style) DO UPDATE
    SET n = c.n + excluded.n, sx = c.sx + excluded.sx, sy = c.sy + excluded.sy,
        id_min = CASE WHEN c.id_min IS NULL THEN NULL ELSE least(c.id_min, excluded.id_min) END;
  DELETE FROM cluster_cells WHERE n <= 0 AND layer IN (SELECT jsonb_object_keys(NEW.styles));
  FOR l IN SELECT key AS layer, value #>> '{}' AS style FROM jsonb_each(NEW.styles) LOOP
    PERFORM cluster_cells_refresh_ids(l.layer, l.style);
  END LOOP;
  DELETE FROM cluster_cells_dirty WHERE txid = NEW.txid;
  RETURN NULL;
END $$;

CREATE CONSTRAINT TRIGGER cluster_cells_merge AFTER INSERT ON cluster_cells_dirty
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION cluster_cells_merge();

-- Appends a statement's points (a query giving id, style, qx, qy over its transition table: only
-- the trigger's own EXECUTE sees that table) as finest cells, signed.
CREATE FUNCTION cluster_cells_append_sql(p_layer text, p_sign integer, rows_sql text) RETURNS text
LANGUAGE sql IMMUTABLE AS $f$
  SELECT format($q$
    INSERT INTO cluster_cells_pending (layer, cx, cy, style, n, sx, sy, added_min, removed_min)
    SELECT %L, (d.qx >> 12)::int, (d.qy >> 12)::int, d.style, %s * count(*), %s * sum(d.qx), %s * sum(d.qy),
           %s, %s
    FROM (%s) d
    GROUP BY 2, 3, 4
  $q$, p_layer, p_sign, p_sign, p_sign,
     CASE WHEN p_sign > 0 THEN 'min(d.id)' ELSE 'NULL::bigint' END,
     CASE WHEN p_sign > 0 THEN 'NULL::bigint' ELSE 'min(d.id)' END,
     rows_sql)
$f$;

-- The rows of a transition table (or, for an UPDATE, the rows that changed cell or style: an
-- edited description leaves the counts alone). TG_ARGV[0]: the layer's style column.
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
    DELETE FROM cluster_cells_pending WHERE layer = TG_TABLE_NAME AND txid = txid_current();
    RETURN NULL;
  END IF;
  IF TG_OP IN ('DELETE', 'UPDATE') THEN
    EXECUTE cluster_cells_append_sql(TG_TABLE_NAME, -1,
      format('SELECT o.id, coalesce(o.%I::text, %L) AS style, cluster_qx(o.geom) AS qx, cluster_qy(o.geom) AS qy %s',
        style_col, '', CASE WHEN TG_OP = 'DELETE' THEN 'FROM old_rows o' ELSE changed END));
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    EXECUTE cluster_cells_append_sql(TG_TABLE_NAME, 1,
      format('SELECT n.id, coalesce(n.%I::text, %L) AS style, cluster_qx(n.geom) AS qx, cluster_qy(n.geom) AS qy %s',
        style_col, '', CASE WHEN TG_OP = 'INSERT' THEN 'FROM new_rows n' ELSE changed END));
  END IF;
  INSERT INTO cluster_cells_dirty (styles) VALUES (jsonb_build_object(TG_TABLE_NAME, style_col))
  ON CONFLICT (txid) DO UPDATE SET styles = cluster_cells_dirty.styles || excluded.styles
  WHERE NOT cluster_cells_dirty.styles ? TG_TABLE_NAME;
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
    -- Points already there (an existing database): merged when this migration commits.
    EXECUTE cluster_cells_append_sql(l.layer, 1,
      format('SELECT id, coalesce(%I::text, %L) AS style, cluster_qx(geom) AS qx, cluster_qy(geom) AS qy FROM %I', l.style, '', l.layer));
    INSERT INTO cluster_cells_dirty (styles) VALUES (jsonb_build_object(l.layer, l.style))
    ON CONFLICT (txid) DO UPDATE SET styles = cluster_cells_dirty.styles || excluded.styles;
  END LOOP;
END $$;
