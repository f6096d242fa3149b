-- UO whose EG does not exist. Returns: identifiant, libelle. No parameters.
SELECT CAST(uo.uo_id AS VARCHAR) AS identifiant, uo.nom || ' (EG ' || uo.finess_eg || ')' AS libelle
FROM uo ANTI JOIN eg USING (finess_eg)
ORDER BY uo.uo_id
