-- Photos by id ($1), with their position (EXIF or the device) if known.
SELECT id, original_path, thumbnail_path, mime, ST_X(geom) AS lon, ST_Y(geom) AS lat, taken_at
FROM photos WHERE id = ANY($1::bigint[])
