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
RETURNING t.id
