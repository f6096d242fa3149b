-- The reports on one EJ, EG or UO, oldest first: anomalie_id, statut, champ, description, created_at, and
-- what decides who sees them (reporter_id, departement, finess_eg). Params: $target_type, $target_id.
SELECT anomalie_id, statut, champ, description, created_at, reporter_id, departement, finess_eg
FROM anomalie
WHERE target_type = $target_type AND target_id = $target_id
ORDER BY created_at, anomalie_id
