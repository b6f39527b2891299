-- Notices, newest first, filtered by village ($1), statuses ($2) and overdue ($3) as of $4
-- (overdue: the village still has to act and the deadline, a day in Asia/Shanghai, has passed).
WITH listed AS (
  SELECT n.id, n.number, n.village, n.status, n.deadline::text AS deadline, n.issued_at, n.issued_by,
         n.closed_at, n.version,
         (SELECT count(*) FROM notice_findings nf WHERE nf.notice_id = n.id)::int AS finding_count,
         (n.status IN ('issued', 'in_progress', 'reopened')
          AND n.deadline < (($4::timestamptz) AT TIME ZONE 'Asia/Shanghai')::date) AS overdue
  FROM notices n
  WHERE ($1::text IS NULL OR n.village = $1)
    AND ($2::text[] IS NULL OR n.status = ANY($2::text[]))
)
SELECT *, count(*) OVER ()::int AS matched
FROM listed
WHERE ($3::boolean IS NULL OR overdue = $3)
ORDER BY issued_at DESC, id DESC
LIMIT $5 OFFSET $6
