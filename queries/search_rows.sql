-- What the results of a search show of some UO (queries/search_uo.sql found them; their status comes from
-- queries/uo_status.sql): names, contacts, place.
-- Returns: uo_id, nom, eg_nom, commune, population, lat, lon, telephone, email. Params: $ids (BIGINT[]).
SELECT uo_id, nom, eg_nom, commune, population, lat, lon, telephone, email
FROM recherche_uo
SEMI JOIN (SELECT unnest($ids::BIGINT[]) AS uo_id) USING (uo_id)
