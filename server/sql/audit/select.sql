-- One page of the audit log, newest first, and how many entries match in all. Every filter is
-- optional (NULL = any). The count rides on a row of its own side of the join, so an offset past
-- the end still says how many there are (the page's columns are then NULL).
WITH matched AS (
  SELECT id, at, username, role, action, collection, feature_id, before, after, details
  FROM audit_log
  WHERE ($1::text IS NULL OR collection = $1)
    AND ($2::bigint IS NULL OR feature_id = $2)
    AND ($3::text IS NULL OR username = $3)
    AND ($4::text IS NULL OR action = $4)
    AND ($5::timestamptz IS NULL OR at >= $5)
    AND ($6::timestamptz IS NULL OR at < $6)
), page AS (
  SELECT * FROM matched ORDER BY id DESC LIMIT $7 OFFSET $8
)
SELECT (SELECT count(*)::int FROM matched) AS number_matched, page.*
FROM (SELECT 1) AS one LEFT JOIN page ON true
ORDER BY page.id DESC
