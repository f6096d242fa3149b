-- What a report is about: departement, finess_eg (NULL for an EJ), finess_ej, label (the name shown), for
-- one EJ, EG or UO; no row when it is not in the répertoire. Params: $target_type (EJ, EG, UO), $target_id.
SELECT coalesce(ej.departement, (SELECT min(eg.departement) FROM eg WHERE eg.finess_ej = ej.finess_ej)),
    NULL, ej.finess_ej, ej.raison_sociale
FROM ej
WHERE $target_type = 'EJ' AND ej.finess_ej = $target_id
UNION ALL
SELECT eg.departement, eg.finess_eg, eg.finess_ej, coalesce(eg.nom_usage, eg.nom)
FROM eg
WHERE $target_type = 'EG' AND eg.finess_eg = $target_id
UNION ALL
SELECT eg.departement, eg.finess_eg, eg.finess_ej, uo.nom || ' – ' || coalesce(eg.nom_usage, eg.nom)
FROM uo
JOIN eg USING (finess_eg)
WHERE $target_type = 'UO' AND CAST(uo.uo_id AS VARCHAR) = $target_id
