-- Fills recherche_lieu (data/migrations/004): the current communes, the arrondissements of Paris (found by « Paris 13e »,
-- « Paris 13 », « 13e arrondissement », « 75013 » or « Gobelins ») and the located EG. Params: $finess_eg
-- (VARCHAR[]: those EG only, no commune; NULL: everything). Run by ror/recherche/search_index.py.
INSERT INTO recherche_lieu
SELECT 'commune:' || code_insee, 'commune', code_insee, nom,
    departement || ' · ' || codes_postaux_lus(codes_postaux),
    lat, lon, departement, population, '|' || coalesce(codes_postaux, '') || '|',
    texte_normalise(nom), ' ' || texte_normalise(nom)
FROM commune
WHERE actuelle AND $finess_eg IS NULL
UNION ALL
SELECT 'arrondissement:' || code_insee, 'arrondissement', code_insee, nom,
    '75 · ' || nom_officiel || ' · ' || replace(codes_postaux, '|', ', '),
    lat, lon, '75', population, '|' || codes_postaux || '|',
    texte_normalise(nom),
    ' ' || texte_normalise(nom || ' Paris ' || numero || ' ' || regexp_extract(nom, '\S+$') || ' arrondissement ' || nom_officiel)
FROM arrondissement
WHERE $finess_eg IS NULL
UNION ALL
SELECT 'eg:' || eg.finess_eg, 'eg', eg.finess_eg, coalesce(eg.nom_usage, eg.nom),
    coalesce(z.zone, '') || ' · FINESS ' || eg.finess_eg,
    eg.lat, eg.lon, eg.departement, c.population, NULL,
    texte_normalise(coalesce(eg.nom_usage, eg.nom)), ' ' || texte_normalise(eg.nom || ' ' || coalesce(eg.nom_usage, ''))
FROM eg
LEFT JOIN commune c ON c.code_insee = eg.commune_insee
LEFT JOIN eg_zone z ON z.finess_eg = eg.finess_eg
WHERE eg.lat IS NOT NULL AND ($finess_eg IS NULL OR list_contains($finess_eg, eg.finess_eg))
