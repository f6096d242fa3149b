-- The communes — Paris by its arrondissements — whose centre is within $km of a point, for the map of a fiche EG
-- (the boundaries and names around the site). Returns: code_insee, nom, lat, lon, geojson. Params: $lat, $lon, $km.
SELECT code_insee, nom, lat, lon, geojson
FROM (
    SELECT code_insee, nom, lat, lon, geojson FROM commune
    WHERE actuelle AND geojson IS NOT NULL AND code_insee NOT IN (SELECT commune_insee FROM arrondissement)
    UNION ALL
    SELECT code_insee, nom, lat, lon, geojson FROM arrondissement
)
WHERE distance_km(lat, lon, $lat, $lon) <= $km
ORDER BY code_insee
