-- Trunk roads for a printed map (village roads left out), simplified to about 5 m.
SELECT code, class, ST_AsGeoJSON(ST_Simplify(geom, 0.00005), 6) AS geometry
FROM roads
WHERE class <> 'village'
ORDER BY CASE class WHEN 'township' THEN 1 WHEN 'county' THEN 2 WHEN 'provincial' THEN 3 ELSE 4 END, code, id
