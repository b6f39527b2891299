-- Row count and a checksum of one table's content, independent of physical row order:
-- the rows' text forms sorted, joined, hashed. Compared before backup and after restore.
-- {{table}} comes from tables.sql (the catalogue), checked as a plain identifier.
SELECT count(*) AS rows,
       md5(coalesce(string_agg(t::text, E'\n' ORDER BY t::text), '')) AS md5
FROM {{table}} t
