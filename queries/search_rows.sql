-- What the results of a search show of some UO (queries/search_uo.sql found them): names, contacts, place
-- and the opening status at an instant with its details (macro `ouverture` of migration 004).
-- Returns: uo_id, nom, eg_nom, commune, population, lat, lon, telephone, email, h24, statut, ouvert_jusqua,
-- fermeture_motif, fermeture_fin, reouverture_prevue.
-- Params: $ids (BIGINT[]), $date, $minute, $jour, $jour_semaine, $veille, $ferie (ror/opening.py Moment).
SELECT uo_id, nom, eg_nom, commune, population, lat, lon, telephone, email, h24,
    unnest(ouverture(creneaux, fermetures, horaires_renseignes, $date, $minute, $jour, $jour_semaine, $veille, $ferie))
FROM recherche_uo
SEMI JOIN (SELECT unnest($ids::BIGINT[]) AS uo_id) USING (uo_id)
