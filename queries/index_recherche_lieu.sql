-- Fills recherche_lieu (data/migrations/004): the current communes and the located EG. Params: $finess_eg
-- (VARCHAR[]: those EG only, no commune; NULL: everything). Run by ror/recherche/search_index.py.
INSERT INTO recherche_lieu
SELECT 'commune:' || code_insee, 'commune', code_insee, nom,
    departement || ' · ' || replace(coalesce(codes_postaux, ''), '|', ', '),
    lat, lon, departement, population, '|' || coalesce(codes_postaux, '') || '|',
    texte_normalise(nom), ' ' || texte_normalise(nom)
FROM commune
WHERE actuelle AND $finess_eg IS NULL
UNION ALL
SELECT 'eg:' || eg.finess_eg, 'eg', eg.finess_eg, coalesce(eg.nom_usage, eg.nom),
    coalesce(c.nom, '') || ' · FINESS ' || eg.finess_eg,
    eg.lat, eg.lon, eg.departement, c.population, NULL,
    texte_normalise(coalesce(eg.nom_usage, eg.nom)), ' ' || texte_normalise(eg.nom || ' ' || coalesce(eg.nom_usage, ''))
FROM eg
LEFT JOIN commune c ON c.code_insee = eg.commune_insee
WHERE eg.lat IS NOT NULL AND ($finess_eg IS NULL OR list_contains($finess_eg, eg.finess_eg))
