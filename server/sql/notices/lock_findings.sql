-- The findings asked for a new notice, locked until commit (two notices cannot take one finding),
-- with the open notice that already holds each, if any.
SELECT f.id, f.category, f.status, f.village,
       (SELECT n.number FROM notice_findings nf JOIN notices n ON n.id = nf.notice_id
         WHERE nf.finding_id = f.id AND n.status <> 'verified' ORDER BY n.id DESC LIMIT 1) AS open_notice
FROM findings f
WHERE f.id = ANY($1::bigint[])
ORDER BY f.id
FOR UPDATE OF f
