-- Per village: notices still open (not verified) and of those the overdue ones, as of $1.
SELECT village,
       count(*) FILTER (WHERE status <> 'verified')::int AS open,
       count(*) FILTER (WHERE status IN ('issued', 'in_progress', 'reopened')
                        AND deadline < (($1::timestamptz) AT TIME ZONE 'Asia/Shanghai')::date)::int AS overdue
FROM notices
GROUP BY village
ORDER BY village
