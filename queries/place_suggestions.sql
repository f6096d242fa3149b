-- Places matching what the user typed in "Où": communes (by name, postal code or INSEE code) and EG (by name,
-- nom d'usage or FINESS), best first. Returns: cle ('commune:<insee>' / 'eg:<finess>'), type, libelle, detail,
-- lat, lon, departement, population, score.
-- Params: $texte (normalised by ror/search.py `normalise`, at least 3 characters), $limite.
WITH communes AS (
    SELECT 'commune:' || code_insee AS cle, 'commune' AS type, nom AS libelle,
        departement || ' · ' || replace(coalesce(codes_postaux, ''), '|', ', ') AS detail,
        lat, lon, departement, population,
        CASE
            WHEN texte_normalise(nom) = $texte THEN 100
            WHEN list_contains(string_split(codes_postaux, '|'), $texte) OR code_insee = $texte THEN 95
            WHEN starts_with(texte_normalise(nom), $texte) THEN 80
            WHEN starts_with(codes_postaux, $texte) OR contains(codes_postaux, '|' || $texte) THEN 70
            WHEN contains(' ' || texte_normalise(nom), ' ' || $texte) THEN 60
            WHEN contains(texte_normalise(nom), $texte) THEN 40
        END AS score
    FROM commune
    WHERE actuelle
),
etablissements AS (
    SELECT 'eg:' || eg.finess_eg AS cle, 'eg' AS type, coalesce(eg.nom_usage, eg.nom) AS libelle,
        coalesce(c.nom, '') || ' · FINESS ' || eg.finess_eg AS detail,
        eg.lat, eg.lon, eg.departement, c.population,
        CASE
            WHEN eg.finess_eg = $texte THEN 100
            WHEN texte_normalise(coalesce(eg.nom_usage, eg.nom)) = $texte THEN 90
            WHEN starts_with(texte_normalise(coalesce(eg.nom_usage, eg.nom)), $texte) THEN 75
            WHEN contains(' ' || texte_normalise(eg.nom || ' ' || coalesce(eg.nom_usage, '')), ' ' || $texte) THEN 55
            WHEN contains(texte_normalise(eg.nom || ' ' || coalesce(eg.nom_usage, '')), $texte) THEN 35
        END AS score
    FROM eg
    LEFT JOIN commune c ON c.code_insee = eg.commune_insee
    WHERE eg.lat IS NOT NULL
)
SELECT cle, type, libelle, detail, lat, lon, departement, population, score
FROM (SELECT * FROM communes UNION ALL SELECT * FROM etablissements)
WHERE score IS NOT NULL
ORDER BY score DESC, type, population DESC NULLS LAST, libelle
LIMIT $limite
