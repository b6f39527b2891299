-- PUT: every property is replaced; the ones not given become NULL (or their default, filled in
-- by the server beforehand).
UPDATE {{table}} AS t
SET ({{columns}}, source, geom) = (
  SELECT {{p_columns}}, $2::jsonb, ST_SetSRID(ST_GeomFromGeoJSON($3), 4326)
  FROM jsonb_populate_record(NULL::{{table}}, $1::jsonb) AS p
)
WHERE t.id = $4
  -- If-Match: with an expected version the row is written only if it still has it. The check
  -- and the write are one statement: a concurrent writer holds the row lock, and once it commits
  -- this WHERE is evaluated again on the new row, so of two writers with the same ETag one wins.
  AND ($5::bigint[] IS NULL OR t.version = ANY($5::bigint[]))
RETURNING t.id
