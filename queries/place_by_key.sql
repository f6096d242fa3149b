-- One place by its key ('commune:<insee>', 'arrondissement:<insee>' or 'eg:<finess>', as returned by place_suggestions).
-- Returns: cle, type, libelle, detail, lat, lon, departement, population. Params: $cle.
SELECT 'commune:' || code_insee AS cle, 'commune' AS type, nom AS libelle,
    departement || ' · ' || codes_postaux_lus(codes_postaux) AS detail,
    lat, lon, departement, population
FROM commune
WHERE 'commune:' || code_insee = $cle
UNION ALL
SELECT 'arrondissement:' || code_insee, 'arrondissement', nom, '75 · ' || nom_officiel || ' · ' || replace(codes_postaux, '|', ', '),
    lat, lon, '75', population
FROM arrondissement
WHERE 'arrondissement:' || code_insee = $cle
UNION ALL
SELECT 'eg:' || eg.finess_eg, 'eg', coalesce(eg.nom_usage, eg.nom), coalesce(c.nom, '') || ' · FINESS ' || eg.finess_eg,
    eg.lat, eg.lon, eg.departement, c.population
FROM eg
LEFT JOIN commune c ON c.code_insee = eg.commune_insee
WHERE 'eg:' || eg.finess_eg = $cle AND eg.lat IS NOT NULL
