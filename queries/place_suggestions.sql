-- Places matching what the user typed in "Où": communes and arrondissements of Paris (by name, postal code or INSEE
-- code) and EG (by name, nom d'usage or FINESS), best first, from the search index (recherche_lieu). Returns: cle
-- ('commune:<insee>' / 'arrondissement:<insee>' / 'eg:<finess>'), type, libelle, detail, lat, lon, departement,
-- population, score. An arrondissement comes before Paris when both match as well (« 75013 »).
-- Params: $texte (normalised by ror/recherche/search.py `normalise`, at least 3 characters), $limite.
SELECT cle, type, libelle, detail, lat, lon, departement, population, score
FROM (
    SELECT *,
        CASE
            WHEN type IN ('commune', 'arrondissement') THEN CASE
                WHEN texte = $texte THEN 100
                WHEN contains(codes_postaux, '|' || $texte || '|') OR code = $texte THEN 95
                WHEN starts_with(texte, $texte) THEN 80
                WHEN contains(codes_postaux, '|' || $texte) THEN 70
                WHEN contains(texte_complet, ' ' || $texte) THEN 60
                WHEN contains(texte, $texte) THEN 40
            END
            ELSE CASE
                WHEN code = $texte THEN 100
                WHEN texte = $texte THEN 90
                WHEN starts_with(texte, $texte) THEN 75
                WHEN contains(texte_complet, ' ' || $texte) THEN 55
                WHEN contains(texte_complet, $texte) THEN 35
            END
        END AS score
    FROM recherche_lieu
)
WHERE score IS NOT NULL
ORDER BY score DESC, type, population DESC NULLS LAST, libelle
LIMIT $limite
