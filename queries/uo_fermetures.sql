-- The closing periods of one UO, the latest first. Returns: date_debut, date_fin, motif, reouverture_prevue.
-- Params: $uo_id.
SELECT date_debut, date_fin, motif, reouverture_prevue
FROM fermeture
WHERE uo_id = $uo_id
ORDER BY date_debut DESC
