-- Who may be given a report of these départements: their active tutelle accounts and the active support, as
-- (user_id, name), tutelle first. Params: $departements (list).
SELECT u.user_id, u.prenom || ' ' || u.nom || CASE WHEN u.role = 'support' THEN ' (support)' ELSE '' END
FROM app_user u
WHERE u.actif
  AND (u.role = 'support'
       OR (u.role = 'tutelle'
           AND EXISTS (SELECT 1 FROM user_territoire t
                       WHERE t.user_id = u.user_id AND list_contains($departements, t.departement))))
ORDER BY u.role = 'support', u.nom, u.prenom
