-- The favourites of a user, with what the tree shows of each (a record deleted since is left out).
-- Returns: target_type ('EJ' / 'EG' / 'UO'), target_id, nom, detail, finess_ej, finess_eg (the EG of an EG
-- or of a UO), discipline (UO). Params: $user_id.
SELECT f.target_type, f.target_id, ej.raison_sociale AS nom, 'FINESS ' || ej.finess_ej AS detail,
    ej.finess_ej, NULL AS finess_eg, NULL AS discipline
FROM favori f
JOIN ej ON f.target_type = 'EJ' AND ej.finess_ej = f.target_id
WHERE f.user_id = $user_id
UNION ALL
SELECT f.target_type, f.target_id, coalesce(eg.nom_usage, eg.nom), 'FINESS ' || eg.finess_eg, eg.finess_ej,
    eg.finess_eg, NULL
FROM favori f
JOIN eg ON f.target_type = 'EG' AND eg.finess_eg = f.target_id
WHERE f.user_id = $user_id
UNION ALL
SELECT f.target_type, f.target_id, uo.nom, coalesce(t.libelle, uo.type_code), eg.finess_ej, uo.finess_eg,
    uo.discipline
FROM favori f
JOIN uo ON f.target_type = 'UO' AND uo.uo_id::VARCHAR = f.target_id
JOIN eg USING (finess_eg)
LEFT JOIN nomenclature t ON t.system = 'TRE_R244' AND t.code = uo.type_code
WHERE f.user_id = $user_id
ORDER BY CASE target_type WHEN 'EJ' THEN 1 WHEN 'EG' THEN 2 ELSE 3 END, nom
