INSERT INTO notices (number, village, deadline, issued_at, issued_by, note)
VALUES ($1, $2, $3::date, $4::timestamptz, $5, $6)
RETURNING id
