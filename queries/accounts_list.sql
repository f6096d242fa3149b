-- Every account for the Comptes page, with its scope as text. Returns one row per account, newest first.
SELECT
    u.user_id, u.login, u.prenom, u.nom, u.email, u.role, u.organisation, u.actif,
    coalesce(u.doit_changer_mot_de_passe, FALSE) AS doit_changer_mot_de_passe,
    u.last_login_at, u.created_at,
    (SELECT list(t.departement ORDER BY t.departement) FROM user_territoire t WHERE t.user_id = u.user_id) AS departements,
    (SELECT list(e.finess_eg ORDER BY e.finess_eg) FROM user_eg e WHERE e.user_id = u.user_id) AS finess_eg,
    (SELECT string_agg(coalesce(eg.nom_usage, eg.nom), ' | ' ORDER BY eg.finess_eg)
       FROM user_eg e JOIN eg USING (finess_eg) WHERE e.user_id = u.user_id) AS etablissements
FROM app_user u
ORDER BY u.actif DESC, u.nom, u.prenom
