-- Départements that have a bundled boundary. Returns: code, nom, geojson (GeoJSON geometry text).
SELECT code, nom, geojson FROM departement WHERE geojson IS NOT NULL ORDER BY code
