-- Fills recherche_eg (data/migrations/010): each EG with its name, commune (in Paris, its arrondissement) and place. Params: $finess_eg
-- (VARCHAR[]: those EG only, or NULL: all). Run by ror/recherche/search_index.py.
INSERT INTO recherche_eg
SELECT eg.finess_eg, coalesce(eg.nom_usage, eg.nom), z.zone, c.population, eg.departement, eg.lat, eg.lon
FROM eg
LEFT JOIN commune c ON c.code_insee = eg.commune_insee
LEFT JOIN eg_zone z ON z.finess_eg = eg.finess_eg
WHERE $finess_eg IS NULL OR list_contains($finess_eg, eg.finess_eg)
