-- Every commune of the répertoire's territory, the origins of the coverage (docs/territoire.md) — Paris by its 20
-- arrondissements (data/migrations/015). Returns: code_insee, nom, departement, population (0 for a former commune),
-- lat, lon, superficie_km2, actuelle.
SELECT code_insee, nom, departement, coalesce(population, 0) AS population, lat, lon, superficie_km2, actuelle
FROM commune
WHERE code_insee NOT IN (SELECT commune_insee FROM arrondissement)
UNION ALL
SELECT code_insee, nom, '75', population, lat, lon, superficie_km2, TRUE
FROM arrondissement
ORDER BY code_insee
