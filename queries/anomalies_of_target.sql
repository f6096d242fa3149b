-- The reports on one EJ, EG or UO, oldest first: anomalie_id, statut, champ, description, created_at,
-- reporter_id. Params: $target_type, $target_id.
SELECT anomalie_id, statut, champ, description, created_at, reporter_id
FROM anomalie
WHERE target_type = $target_type AND target_id = $target_id
ORDER BY created_at, anomalie_id
