-- UO whose grand groupe de discipline is not one of MCO, SMR, PSY, SLD, MSS. Returns: identifiant, libelle.
SELECT CAST(uo_id AS VARCHAR) AS identifiant, nom || ' (discipline ' || coalesce(discipline, '∅') || ')' AS libelle
FROM uo
WHERE discipline NOT IN ('MCO', 'SMR', 'PSY', 'SLD', 'MSS')
ORDER BY uo_id
