-- PATCH (JSON Merge Patch): jsonb_populate_record(t, patch) starts from the stored row, so a
-- property absent from the patch keeps its value and one set to null is cleared. Source
-- attributes merge the same way (jsonb ||, then nulls removed); the geometry changes only when
-- one is given.
UPDATE {{table}} AS t
SET ({{columns}}, source, geom) = (
  SELECT {{p_columns}},
         CASE WHEN $2::jsonb IS NULL THEN t.source
              ELSE NULLIF(jsonb_strip_nulls(coalesce(t.source, '{}'::jsonb) || $2::jsonb), '{}'::jsonb) END,
         coalesce(ST_SetSRID(ST_GeomFromGeoJSON($3), 4326), t.geom)
  FROM jsonb_populate_record(t, $1::jsonb) AS p
)
WHERE t.id = $4
  -- If-Match: with an expected version the row is written only if it still has it. The check
  -- and the write are one statement: a concurrent writer holds the row lock, and once it commits
  -- this WHERE is evaluated again on the new row, so of two writers with the same ETag one wins.
  AND ($5::bigint[] IS NULL OR t.version = ANY($5::bigint[]))
RETURNING t.id
