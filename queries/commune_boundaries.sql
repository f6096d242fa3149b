-- The communes whose boundary is bundled, for the coverage map. Returns: code_insee, geojson.
SELECT code_insee, geojson FROM commune WHERE geojson IS NOT NULL ORDER BY code_insee
