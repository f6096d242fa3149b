-- Labels matching what the user typed in "Quoi", among the code lists a UO is searched by, with the number
-- of active UO that carry each one (labels no UO carries are left out), from the search index
-- (recherche_libelle). Best first. Returns: system, code, libelle, uo, score.
-- Params: $texte (normalised, at least 3 characters), $limite.
SELECT system, code, libelle, uo, score
FROM (
    SELECT system, code, libelle, uo,
        CASE
            WHEN texte = $texte THEN 100
            WHEN starts_with(texte, $texte) THEN 80
            WHEN contains(' ' || texte, ' ' || $texte) THEN 60
            WHEN length($texte) >= 5 AND contains(texte, $texte) THEN 40
        END AS score
    FROM recherche_libelle
    WHERE uo > 0
)
WHERE score IS NOT NULL
ORDER BY score DESC, uo DESC, libelle
LIMIT $limite
