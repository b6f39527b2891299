-- A feature's status history, oldest first, with the photo of each step when there is one.
SELECT e.id, e.from_status, e.to_status, e.at, e.by_user, e.photo_id, e.note
FROM status_events e
WHERE e.collection = $1 AND e.feature_id = $2
ORDER BY e.at, e.id
