-- What the results of a search show of each EG (its UO: queries/search_rows.sql): its name (as in the search
-- index), commune and place; the commune's population gives the zone of the travel-time model (ror/travel.py).
-- Returns: finess_eg, eg_nom, commune, population, departement, lat, lon. Table: ids (finess_eg VARCHAR: a
-- frame, see queries/__init__.py).
SELECT eg.finess_eg, coalesce(eg.nom_usage, eg.nom) AS eg_nom, c.nom AS commune, c.population, eg.departement,
    eg.lat, eg.lon
FROM eg
SEMI JOIN ids USING (finess_eg)
LEFT JOIN commune c ON c.code_insee = eg.commune_insee
