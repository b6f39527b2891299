-- $2: the versions an If-Match accepts (NULL: delete whatever is there); see patch.sql.
DELETE FROM {{table}} t WHERE t.id = $1 AND ($2::bigint[] IS NULL OR t.version = ANY($2::bigint[])) RETURNING t.id
