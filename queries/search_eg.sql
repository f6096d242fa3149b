-- What the results of a search show of each EG (its UO: queries/search_rows.sql): its name, commune and place,
-- from the search index (data/migrations/010); the commune's population gives the zone of the travel-time model
-- (ror/recherche/travel.py). Every EG: read once per index version (the in-memory engine: ror/recherche/engine.py).
-- Returns: finess_eg, eg_nom, commune, population, departement, lat, lon.
SELECT finess_eg, eg_nom, commune, population, departement, lat, lon
FROM recherche_eg
