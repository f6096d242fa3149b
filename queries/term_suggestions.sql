-- Labels matching what the user typed in "Quoi", among the code lists a UO is searched by, with the number
-- of active UO that carry each one (labels no UO carries are left out). Best first.
-- Returns: system, code, libelle, uo, score. Params: $texte (normalised, at least 3 characters), $limite.
WITH labels AS (
    SELECT system, code, libelle, texte_normalise(libelle) AS label
    FROM nomenclature
    WHERE system IN ('TRE_R244', 'TRE_R211', 'APTITUDE_ROR_IF', 'TRE_R245', 'TRE_R243', 'JDV_J186')
),
matching AS (
    SELECT system, code, libelle,
        CASE
            WHEN label = $texte THEN 100
            WHEN starts_with(label, $texte) THEN 80
            WHEN contains(' ' || label, ' ' || $texte) THEN 60
            WHEN length($texte) >= 5 AND contains(label, $texte) THEN 40
        END AS score
    FROM labels
),
usage AS (
    SELECT c.system, c.code, count(*) AS uo
    FROM uo_code c
    SEMI JOIN (SELECT system, code FROM matching WHERE score IS NOT NULL) m USING (system, code)
    GROUP BY ALL
    UNION ALL
    SELECT 'TRE_R244', type_code, count(*)
    FROM uo
    WHERE statut = 'active'
    GROUP BY ALL
)
SELECT m.system, m.code, m.libelle, u.uo, m.score
FROM matching m
JOIN usage u USING (system, code)
WHERE m.score IS NOT NULL
ORDER BY m.score DESC, u.uo DESC, m.libelle
LIMIT $limite
