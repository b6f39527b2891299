-- PUT: every property is replaced; the ones not given become NULL (or their default, filled in
-- by the server beforehand).
UPDATE {{table}} AS t
SET ({{columns}}, source, geom) = (
  SELECT {{p_columns}}, $2::jsonb, ST_SetSRID(ST_GeomFromGeoJSON($3), 4326)
  FROM jsonb_populate_record(NULL::{{table}}, $1::jsonb) AS p
)
WHERE t.id = $4
RETURNING t.id
