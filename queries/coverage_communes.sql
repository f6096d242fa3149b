-- Every commune of the répertoire's territory, the origins of the coverage (docs/territoire.md). Returns:
-- code_insee, nom, departement, population (0 for a former commune), lat, lon, superficie_km2, actuelle.
SELECT code_insee, nom, departement, coalesce(population, 0) AS population, lat, lon, superficie_km2, actuelle
FROM commune
ORDER BY code_insee
