-- The finding to convert, locked for the transaction, with its place as GeoJSON.
SELECT f.id, f.category, f.status, f.description, f.found_at, f.photo_ids, f.converted_collection, f.converted_id,
       f.village, f.road_code, f.stake, ST_AsGeoJSON(f.geom, 8) AS geometry
FROM findings f WHERE f.id = $1 FOR UPDATE
