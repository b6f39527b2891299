-- Open findings of a village ($1) that no open notice holds: what a new notice may take.
SELECT f.id, f.category, f.description, f.road_code, f.stake, f.found_at, f.photo_ids,
       ST_X(f.geom) AS lon, ST_Y(f.geom) AS lat
FROM findings f
WHERE f.village = $1 AND f.status = 'open'
  AND NOT EXISTS (SELECT 1 FROM notice_findings nf JOIN notices n ON n.id = nf.notice_id
                  WHERE nf.finding_id = f.id AND n.status <> 'verified')
ORDER BY f.found_at, f.id
LIMIT 500
