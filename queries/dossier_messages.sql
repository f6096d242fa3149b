-- The thread of a dossier, oldest first: created_at, auteur (first and last name), role, texte.
-- Params: $dossier_id.
SELECT m.created_at, u.prenom || ' ' || u.nom AS auteur, u.role, m.texte
FROM dossier_message m
JOIN app_user u USING (user_id)
WHERE m.dossier_id = $dossier_id
ORDER BY m.created_at, m.message_id
