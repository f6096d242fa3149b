-- 008: the opening status is computed by joins on `horaire` and `fermeture` (queries/uo_status.sql, and the
-- `ouvert` flag of queries/search_uo.sql): the list macros of migration 004 that did it are no longer used.
DROP MACRO IF EXISTS ouverture;
DROP MACRO IF EXISTS fermeture_en_cours;
DROP MACRO IF EXISTS fermetures_du_jour;
DROP MACRO IF EXISTS creneau_de_la_veille;
DROP MACRO IF EXISTS creneau_en_cours;
