-- The anomalies on one EG or on its UO, oldest first: anomalie_id, target_type, target_id, cible, champ,
-- description, statut, created_at, and what decides who sees them (reporter_id, departement, finess_eg).
-- Params: $finess_eg, $statuts (VARCHAR[]).
SELECT a.anomalie_id, a.target_type, a.target_id,
    CASE WHEN a.target_type = 'UO' THEN uo.nom ELSE 'Établissement' END AS cible,
    a.champ, a.description, a.statut, a.created_at, a.reporter_id, a.departement, a.finess_eg
FROM anomalie a
LEFT JOIN uo ON a.target_type = 'UO' AND CAST(uo.uo_id AS VARCHAR) = a.target_id
WHERE a.finess_eg = $finess_eg AND list_contains($statuts, a.statut)
ORDER BY a.created_at, a.anomalie_id
