-- The COMMIT-time merge of 017, made cheaper (issue 3 import target). An import of 50,000
-- points in five statements of 10,000 into a layer of 200,000 (the benchmark's county) leaves
-- 34,000 pending rows in 14,000 finest cells, 25,000 cells over the twelve zooms; the import's
-- COMMIT, which it waits for, took 0.72–0.86 s, now 0.21–0.24 s:
--   * Zooms one from the other: zoom z's cells are summed from zoom z + 1's, not every zoom from
--     the finest cells. 017 crossed the finest cells with the twelve zooms (170,000 rows) and
--     sorted them; the chain below hashes 14,000 rows, then 7,000, then 2,600 … (same data,
--     same fillfactor: 0.42–0.50 s → 0.28–0.35 s).
--   * Room on every page (fillfactor 50): a merge updates most cells of a layer, and an update
--     of counts only (no key column changes) then stays on its page without new index entries
--     (HOT): 15 % of updates were HOT before, 99 % after.
--   * The sweep of emptied cells reads the whole layer's cells, so it runs only when the
--     transaction removed points.

ALTER TABLE cluster_cells SET (fillfactor = 50);

-- As in 017 (smallest ids, one upsert ordered by key), with the cells summed zoom by zoom.
CREATE OR REPLACE FUNCTION cluster_cells_merge() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  l record;
  removed boolean := EXISTS (SELECT 1 FROM cluster_cells_pending WHERE txid = NEW.txid AND removed_min IS NOT NULL);
BEGIN
  IF removed THEN
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
  -- This transaction's pending rows summed per finest cell (zoom 11), then each coarser zoom
  -- from the one below it: a cell at zoom z - 1 is a zoom-z cell shifted right by one bit.
  -- Written out rather than built and EXECUTEd, so that the plan is kept: planning the statement
  -- at every COMMIT doubled the commit of a one-point edit (1.4–1.8 → 2.9–3.5 ms).
  WITH mine AS (
    DELETE FROM cluster_cells_pending WHERE txid = NEW.txid RETURNING *
  ),
  z11 AS (SELECT layer, 11 AS z, cx, cy, style, sum(n)::bigint AS n, sum(sx)::bigint AS sx, sum(sy)::bigint AS sy,
              min(added_min) AS added_min, min(removed_min) AS removed_min FROM mine GROUP BY layer, cx, cy, style),
  z10 AS (SELECT layer, 10 AS z, cx >> 1 AS cx, cy >> 1 AS cy, style, sum(n)::bigint AS n, sum(sx)::bigint AS sx, sum(sy)::bigint AS sy,
              min(added_min) AS added_min, min(removed_min) AS removed_min FROM z11 GROUP BY layer, cx >> 1, cy >> 1, style),
  z9 AS (SELECT layer, 9 AS z, cx >> 1 AS cx, cy >> 1 AS cy, style, sum(n)::bigint AS n, sum(sx)::bigint AS sx, sum(sy)::bigint AS sy,
              min(added_min) AS added_min, min(removed_min) AS removed_min FROM z10 GROUP BY layer, cx >> 1, cy >> 1, style),
  z8 AS (SELECT layer, 8 AS z, cx >> 1 AS cx, cy >> 1 AS cy, style, sum(n)::bigint AS n, sum(sx)::bigint AS sx, sum(sy)::bigint AS sy,
              min(added_min) AS added_min, min(removed_min) AS removed_min FROM z9 GROUP BY layer, cx >> 1, cy >> 1, style),
  z7 AS (SELECT layer, 7 AS z, cx >> 1 AS cx, cy >> 1 AS cy, style, sum(n)::bigint AS n, sum(sx)::bigint AS sx, sum(sy)::bigint AS sy,
              min(added_min) AS added_min, min(removed_min) AS removed_min FROM z8 GROUP BY layer, cx >> 1, cy >> 1, style),
  z6 AS (SELECT layer, 6 AS z, cx >> 1 AS cx, cy >> 1 AS cy, style, sum(n)::bigint AS n, sum(sx)::bigint AS sx, sum(sy)::bigint AS sy,
              min(added_min) AS added_min, min(removed_min) AS removed_min FROM z7 GROUP BY layer, cx >> 1, cy >> 1, style),
  z5 AS (SELECT layer, 5 AS z, cx >> 1 AS cx, cy >> 1 AS cy, style, sum(n)::bigint AS n, sum(sx)::bigint AS sx, sum(sy)::bigint AS sy,
              min(added_min) AS added_min, min(removed_min) AS removed_min FROM z6 GROUP BY layer, cx >> 1, cy >> 1, style),
  z4 AS (SELECT layer, 4 AS z, cx >> 1 AS cx, cy >> 1 AS cy, style, sum(n)::bigint AS n, sum(sx)::bigint AS sx, sum(sy)::bigint AS sy,
              min(added_min) AS added_min, min(removed_min) AS removed_min FROM z5 GROUP BY layer, cx >> 1, cy >> 1, style),
  z3 AS (SELECT layer, 3 AS z, cx >> 1 AS cx, cy >> 1 AS cy, style, sum(n)::bigint AS n, sum(sx)::bigint AS sx, sum(sy)::bigint AS sy,
              min(added_min) AS added_min, min(removed_min) AS removed_min FROM z4 GROUP BY layer, cx >> 1, cy >> 1, style),
  z2 AS (SELECT layer, 2 AS z, cx >> 1 AS cx, cy >> 1 AS cy, style, sum(n)::bigint AS n, sum(sx)::bigint AS sx, sum(sy)::bigint AS sy,
              min(added_min) AS added_min, min(removed_min) AS removed_min FROM z3 GROUP BY layer, cx >> 1, cy >> 1, style),
  z1 AS (SELECT layer, 1 AS z, cx >> 1 AS cx, cy >> 1 AS cy, style, sum(n)::bigint AS n, sum(sx)::bigint AS sx, sum(sy)::bigint AS sy,
              min(added_min) AS added_min, min(removed_min) AS removed_min FROM z2 GROUP BY layer, cx >> 1, cy >> 1, style),
  z0 AS (SELECT layer, 0 AS z, cx >> 1 AS cx, cy >> 1 AS cy, style, sum(n)::bigint AS n, sum(sx)::bigint AS sx, sum(sy)::bigint AS sy,
              min(added_min) AS added_min, min(removed_min) AS removed_min FROM z1 GROUP BY layer, cx >> 1, cy >> 1, style),
  cells AS (
    SELECT * FROM z11 UNION ALL SELECT * FROM z10 UNION ALL SELECT * FROM z9 UNION ALL SELECT * FROM z8
    UNION ALL SELECT * FROM z7 UNION ALL SELECT * FROM z6 UNION ALL SELECT * FROM z5 UNION ALL SELECT * FROM z4
    UNION ALL SELECT * FROM z3 UNION ALL SELECT * FROM z2 UNION ALL SELECT * FROM z1 UNION ALL SELECT * FROM z0
  )
  INSERT INTO cluster_cells AS c (layer, z, cx, cy, style, n, sx, sy, id_min)
  -- A point added and removed again within the transaction may have been the smallest added.
  SELECT layer, z, cx, cy, style, n, sx, sy,
         CASE WHEN removed_min IS NOT NULL AND removed_min <= added_min THEN NULL ELSE added_min END
  FROM cells ORDER BY 1, 2, 3, 4, 5
  ON CONFLICT (layer, z, cx, cy, style) DO UPDATE
    SET n = c.n + excluded.n, sx = c.sx + excluded.sx, sy = c.sy + excluded.sy,
        id_min = CASE WHEN c.id_min IS NULL THEN NULL ELSE least(c.id_min, excluded.id_min) END;
  -- Only a removal can take a cell's count to zero.
  IF removed THEN
    DELETE FROM cluster_cells WHERE n <= 0 AND layer IN (SELECT jsonb_object_keys(NEW.styles));
  END IF;
  FOR l IN SELECT key AS layer, value #>> '{}' AS style FROM jsonb_each(NEW.styles) LOOP
    PERFORM cluster_cells_refresh_ids(l.layer, l.style);
  END LOOP;
  DELETE FROM cluster_cells_dirty WHERE txid = NEW.txid;
  RETURN NULL;
END $$;
