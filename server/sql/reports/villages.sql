-- The villages (one row per name) and their township.
SELECT name, min(township) AS township FROM villages GROUP BY name ORDER BY name
