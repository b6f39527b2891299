-- The next notice number of a year; the row lock serializes concurrent creations until commit.
INSERT INTO notice_numbers (year, last) VALUES ($1, 1)
ON CONFLICT (year) DO UPDATE SET last = notice_numbers.last + 1
RETURNING last
