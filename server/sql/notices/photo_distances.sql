-- The distance in metres from each finding of a notice ($1) to each located photo ($2).
SELECT nf.finding_id, p.id AS photo_id,
       ST_Distance(f.geom::geography, p.geom::geography) AS distance_m
FROM notice_findings nf
JOIN findings f ON f.id = nf.finding_id
JOIN photos p ON p.id = ANY($2::bigint[]) AND p.geom IS NOT NULL
WHERE nf.notice_id = $1
