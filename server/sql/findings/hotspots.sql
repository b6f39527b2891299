-- Hotspots for /api/analysis/hotspots (see finding_hotspots in 013_findings.sql).
SELECT h.category, h.n, h.finding_ids, ST_X(h.geom) AS lon, ST_Y(h.geom) AS lat, round(h.radius_m::numeric, 1)::float8 AS radius_m,
       h.first_found_at, h.last_found_at, h.village, h.road_code, h.stake
FROM finding_hotspots($1::timestamptz, $2::timestamptz, $3::float8, $4::int, $5::text[]) h
