INSERT INTO notice_findings (notice_id, finding_id, deadline)
SELECT $1, u.finding_id, u.deadline
FROM unnest($2::bigint[], $3::date[]) AS u(finding_id, deadline)
