-- Rectification notices per village for a month: $1 start of the month, $2 its end (now while
-- it runs), both instants; $3 the Asia/Shanghai day at $2 (a notice is overdue from the day after
-- its deadline). held: issued before the end and not closed before the start.
SELECT village,
       count(*)::int AS notices,
       count(*) FILTER (WHERE issued_at >= $1)::int AS issued,
       count(*) FILTER (WHERE closed_at >= $1 AND closed_at < $2)::int AS closed,
       count(*) FILTER (WHERE closed_at IS NULL OR closed_at >= $2)::int AS open_notices,
       count(*) FILTER (WHERE (closed_at IS NULL OR closed_at >= $2) AND deadline < $3::date)::int AS overdue_notices
FROM notices
WHERE issued_at < $2 AND (closed_at IS NULL OR closed_at >= $1)
GROUP BY village
ORDER BY village
