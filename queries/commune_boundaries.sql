-- The communes whose boundary is bundled, for the coverage map — Paris by its arrondissements, as in
-- coverage_communes. Returns: code_insee, geojson.
SELECT code_insee, geojson
FROM commune
WHERE geojson IS NOT NULL AND code_insee NOT IN (SELECT commune_insee FROM arrondissement)
UNION ALL
SELECT code_insee, geojson FROM arrondissement
ORDER BY code_insee
