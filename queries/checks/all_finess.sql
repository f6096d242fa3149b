-- Every FINESS number of the répertoire with its level. Returns: niveau, finess, nom. No parameters.
SELECT 'EJ' AS niveau, finess_ej AS finess, raison_sociale AS nom FROM ej
UNION ALL
SELECT 'EG', finess_eg, nom FROM eg
ORDER BY 1, 2
