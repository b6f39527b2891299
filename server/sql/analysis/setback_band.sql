-- The setback band of each selected road for the map: everything closer than the road's limit
-- (plus half its width when measured from the edge), the same rule as setback_violations().
-- Buffered in the road's own metric zone (road_lines.geom_m), so the band is metres wide on the
-- ground, then returned as WGS84.
SELECT r.code AS road_code,
       coalesce($2::float8, ($3::jsonb ->> r.class)::float8, 10) AS limit_m,
       CASE WHEN $4::boolean THEN coalesce(r.width_m, 0) / 2 ELSE 0 END AS half_m,
       ST_AsGeoJSON(ST_Transform(ST_Buffer(ST_Force2D(rl.geom_m),
         coalesce($2::float8, ($3::jsonb ->> r.class)::float8, 10) + CASE WHEN $4::boolean THEN coalesce(r.width_m, 0) / 2 ELSE 0 END,
         'quad_segs=4'), 4326), 7) AS geometry
FROM roads r JOIN road_lines rl ON rl.road_id = r.id
WHERE r.id = ANY ($1::bigint[])
ORDER BY r.code, r.id
