-- The timeline of one report, oldest first: created_at, type, detail, auteur (NULL: the system).
-- Params: $anomalie_id.
SELECT e.created_at, e.type, e.detail, u.prenom || ' ' || u.nom AS auteur, u.role
FROM anomalie_evenement e
LEFT JOIN app_user u USING (user_id)
WHERE e.anomalie_id = $anomalie_id
ORDER BY e.created_at, e.event_id
