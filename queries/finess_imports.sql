-- The journal of the FINESS imports, newest first. Returns one row per import.
SELECT import_id, created_at, user_login, fichier, format, lignes, crees, modifies, inchanges, rejetes, rapport
FROM import_finess
ORDER BY import_id DESC
