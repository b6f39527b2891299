INSERT INTO status_events (collection, feature_id, from_status, to_status, by_user, photo_id, note)
VALUES ($1, $2, $3, $4, $5, $6, $7)
RETURNING id, at
