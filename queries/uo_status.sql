-- The opening status of some UO at one instant (rule: ror/opening.py, macro `ouverture` of migration 004).
-- Returns: uo_id, statut, h24, ouvert_jusqua, fermeture_motif, fermeture_fin, reouverture_prevue.
-- Params: $ids (BIGINT[]), $date, $minute, $jour, $jour_semaine, $veille, $ferie (opening.Moment).
SELECT uo_id, h24,
    unnest(ouverture(creneaux, fermetures, horaires_renseignes, $date, $minute, $jour, $jour_semaine, $veille, $ferie))
FROM recherche_uo
SEMI JOIN (SELECT unnest($ids::BIGINT[]) AS uo_id) USING (uo_id)
