-- The 20 arrondissements of Paris (data/migrations/015). Returns: code_insee, commune_insee, numero, nom, nom_officiel,
-- codes_postaux, lat, lon, population, superficie_km2, geojson.
SELECT code_insee, commune_insee, numero, nom, nom_officiel, codes_postaux, lat, lon, population, superficie_km2, geojson
FROM arrondissement
ORDER BY numero
