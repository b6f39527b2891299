-- One notice; overdue from the day after its deadline in Asia/Shanghai ($2 = now) while the
-- village still has to act (issued, in_progress, reopened).
SELECT n.id, n.number, n.village, n.status, n.deadline::text AS deadline, n.issued_at, n.issued_by,
       n.closed_at, n.note, n.version,
       (n.status IN ('issued', 'in_progress', 'reopened')
        AND n.deadline < (($2::timestamptz) AT TIME ZONE 'Asia/Shanghai')::date) AS overdue
FROM notices n
WHERE n.id = $1
