INSERT INTO audit_log (username, role, action, collection, feature_id, before, after, details)
VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7::jsonb, $8::jsonb)
