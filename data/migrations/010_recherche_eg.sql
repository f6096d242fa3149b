-- 010: the search index keeps what the results show of each EG (its name as in recherche_uo, commune, zone of
-- the travel-time model, place): the EG of a search are described from it (queries/search_eg.sql)
-- rather than by joining eg and commune each time. Rebuilt with the rest of the index (ror/recherche/search_index.py):
-- by the next search, or by `python -m ror migrate`.
CREATE TABLE recherche_eg (
    finess_eg   VARCHAR NOT NULL,         -- no key: rebuilding an indexed table whole costs ~1 s more to commit
    eg_nom      VARCHAR NOT NULL,         -- coalesce(nom_usage, nom)
    commune     VARCHAR,
    population  INTEGER,                  -- of the commune
    departement VARCHAR NOT NULL,
    lat         DOUBLE,
    lon         DOUBLE
);
DELETE FROM setting WHERE key = 'index_recherche_version';
