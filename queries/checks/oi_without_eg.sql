-- Organisations internes whose EG does not exist, and UO attached to a missing OI. Returns: identifiant, libelle.
SELECT 'OI ' || CAST(oi.oi_id AS VARCHAR) AS identifiant, oi.nom || ' (EG ' || oi.finess_eg || ')' AS libelle
FROM oi ANTI JOIN eg USING (finess_eg)
UNION ALL
SELECT 'UO ' || CAST(uo.uo_id AS VARCHAR), uo.nom || ' (OI ' || CAST(uo.oi_id AS VARCHAR) || ')'
FROM uo
WHERE uo.oi_id IS NOT NULL AND uo.oi_id NOT IN (SELECT oi_id FROM oi)
ORDER BY 1
