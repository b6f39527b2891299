-- Road features by code (one code may name several features, e.g. a road in two pieces).
SELECT id, code, name, class, width_m FROM roads WHERE code = ANY ($1::text[]) ORDER BY code, id
