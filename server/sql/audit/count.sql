SELECT count(*)::int AS n
FROM audit_log
WHERE ($1::text IS NULL OR collection = $1)
  AND ($2::bigint IS NULL OR feature_id = $2)
  AND ($3::text IS NULL OR username = $3)
  AND ($4::text IS NULL OR action = $4)
  AND ($5::timestamptz IS NULL OR at >= $5)
  AND ($6::timestamptz IS NULL OR at < $6)
