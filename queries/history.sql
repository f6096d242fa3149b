-- The history of one record from the audit journal, newest first: who, when, what (before / after as JSON).
-- Returns: created_at, user_login, auteur (name of the account, else its login), action, old_value, new_value.
-- Params: $target_type ('EJ' / 'EG' / 'UO'), $target_id, $limite.
SELECT a.created_at, a.user_login, coalesce(u.prenom || ' ' || u.nom, a.user_login) AS auteur, a.action,
    a.old_value::VARCHAR AS old_value, a.new_value::VARCHAR AS new_value
FROM audit a
LEFT JOIN app_user u ON u.login = a.user_login
WHERE a.target_type = $target_type AND a.target_id = $target_id AND a.action NOT LIKE 'favori.%'
ORDER BY a.created_at DESC, a.audit_id DESC
LIMIT $limite
