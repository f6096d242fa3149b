-- The notifications of one user that he has not deleted, newest first: notification_id, type, source,
-- objet, cible_type, cible_id, created_at, lu. Params: $user_id.
SELECT n.notification_id, n.type, n.source, n.objet, n.cible_type, n.cible_id, n.created_at, d.lu
FROM notification n
JOIN notification_destinataire d USING (notification_id)
WHERE d.user_id = $user_id AND NOT d.supprime
ORDER BY n.created_at DESC, n.notification_id DESC
