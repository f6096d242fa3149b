-- The types d'UO (TRE_R244) for a new unit of an EG of catégorie $categorie: those the répertoire's EG of
-- that catégorie already use first (adapte = TRUE, most used first), then the others by label. Returns: code,
-- libelle, adapte, champ_code and discipline (the most usual for that type, NULL if never used).
WITH used AS (
    SELECT uo.type_code AS code, count(*) AS n
    FROM uo
    JOIN eg USING (finess_eg)
    WHERE eg.categorie_code = $categorie AND uo.statut = 'active'
    GROUP BY 1
),
usual AS (
    SELECT type_code AS code, mode(champ_code) AS champ_code, mode(discipline) AS discipline
    FROM uo
    GROUP BY 1
)
SELECT n.code, n.libelle, used.n IS NOT NULL AS adapte, usual.champ_code, usual.discipline
FROM nomenclature n
LEFT JOIN used USING (code)
LEFT JOIN usual USING (code)
WHERE n.system = 'TRE_R244' AND n.actif
ORDER BY adapte DESC, used.n DESC NULLS LAST, n.libelle
