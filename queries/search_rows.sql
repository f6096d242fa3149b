-- What the results of a search show of some UO (the search engine, ror/recherche/engine.py, found them; their status comes from
-- queries/uo_status.sql): names, contacts, place.
-- Returns: uo_id, nom, eg_nom, commune, population, lat, lon, telephone, email. Table: ids (uo_id BIGINT: a frame,
-- see queries/__init__.py).
SELECT uo_id, nom, eg_nom, commune, population, lat, lon, telephone, email
FROM recherche_uo
SEMI JOIN ids USING (uo_id)
