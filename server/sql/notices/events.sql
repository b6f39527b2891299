SELECT id, from_status, to_status, at, by_user, photo_id, note
FROM notice_events WHERE notice_id = $1 ORDER BY at, id
