UPDATE notices
SET status = $2, version = version + 1,
    closed_at = CASE WHEN $2 = 'verified' THEN $3::timestamptz ELSE NULL END
WHERE id = $1
