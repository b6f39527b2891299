SELECT id, number, village, status, deadline::text AS deadline FROM notices WHERE id = $1 FOR UPDATE
