SELECT id, sha256, mime, bytes, width, height, original_path, thumbnail_path, taken_at, uploaded_by, created_at,
       ST_X(geom) AS lon, ST_Y(geom) AS lat
FROM photos WHERE id = $1
