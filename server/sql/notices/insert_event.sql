INSERT INTO notice_events (notice_id, from_status, to_status, at, by_user, photo_id, note)
VALUES ($1, $2, $3, $4::timestamptz, $5, $6, $7)
