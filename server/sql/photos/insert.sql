-- One uploaded photo; the files are already under DATA_DIR/media (paths relative to it).
INSERT INTO photos (sha256, mime, bytes, width, height, original_path, thumbnail_path, taken_at, geom, uploaded_by)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8::timestamptz,
        CASE WHEN $9::float8 IS NULL OR $10::float8 IS NULL THEN NULL ELSE ST_SetSRID(ST_MakePoint($9::float8, $10::float8), 4326) END,
        $11)
RETURNING id, created_at
