-- The findings of a notice ($1) with their deadlines; a finding is overdue from the day after its
-- deadline in Asia/Shanghai ($2 = now) until the village reports it fixed.
SELECT f.id, f.category, f.status, f.description, f.village, f.road_code, f.stake, f.found_at,
       f.photo_ids, nf.deadline::text AS deadline,
       ST_X(f.geom) AS lon, ST_Y(f.geom) AS lat,
       (f.status = 'notice_issued' AND nf.deadline < (($2::timestamptz) AT TIME ZONE 'Asia/Shanghai')::date) AS overdue
FROM notice_findings nf
JOIN findings f ON f.id = nf.finding_id
WHERE nf.notice_id = $1
ORDER BY f.id
