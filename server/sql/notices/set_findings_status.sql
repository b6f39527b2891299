-- Moves findings ($1) to a status ($2) and writes each one's status history: who ($3), the
-- photo that shows it ($4, aligned with $1), a note ($5), when ($6). Findings already in that
-- status are left as they are.
WITH u AS (
  SELECT * FROM unnest($1::bigint[], $4::bigint[]) AS u(id, photo_id)
), old AS (
  SELECT f.id, f.status, u.photo_id FROM findings f JOIN u ON u.id = f.id FOR UPDATE OF f
), changed AS (
  UPDATE findings f SET status = $2, version = f.version + 1
  FROM old WHERE f.id = old.id AND old.status <> $2
  RETURNING f.id, old.status AS from_status, old.photo_id
)
INSERT INTO status_events (collection, feature_id, from_status, to_status, at, by_user, photo_id, note)
SELECT 'findings', id, from_status, $2, $6::timestamptz, $3, photo_id, $5 FROM changed
