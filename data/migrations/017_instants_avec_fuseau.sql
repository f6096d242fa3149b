-- 017: every stored instant is timezone-aware (TIMESTAMPTZ). The app reads and writes them in Europe/Paris (ror/core/db.py
-- sets the database's TimeZone; ror/core/clock.py gives « now »), so that what a person reads is a Paris time, on a
-- server in UTC as in Paris, and an instant of the hour that comes twice in October stays itself. A value written
-- before this migration was the server's local time: ror/core/db.migrate runs the migrations in that zone, and each
-- is converted from it. DuckDB alters a column's type only on a table without secondary indexes: they are dropped,
-- then made again.

DROP INDEX anomalie_target;
ALTER TABLE anomalie ALTER COLUMN closed_at SET DATA TYPE TIMESTAMPTZ;
ALTER TABLE anomalie ALTER COLUMN created_at SET DATA TYPE TIMESTAMPTZ;
ALTER TABLE anomalie ALTER COLUMN updated_at SET DATA TYPE TIMESTAMPTZ;
CREATE INDEX anomalie_target ON anomalie (target_type, target_id);
DROP INDEX anomalie_evenement_anomalie;
ALTER TABLE anomalie_evenement ALTER COLUMN created_at SET DATA TYPE TIMESTAMPTZ;
CREATE INDEX anomalie_evenement_anomalie ON anomalie_evenement (anomalie_id);
ALTER TABLE app_user ALTER COLUMN created_at SET DATA TYPE TIMESTAMPTZ;
ALTER TABLE app_user ALTER COLUMN last_login_at SET DATA TYPE TIMESTAMPTZ;
ALTER TABLE app_user ALTER COLUMN mot_de_passe_donne_le SET DATA TYPE TIMESTAMPTZ;
DROP INDEX audit_target;
ALTER TABLE audit ALTER COLUMN created_at SET DATA TYPE TIMESTAMPTZ;
CREATE INDEX audit_target ON audit (target_type, target_id);
ALTER TABLE connexion_echec ALTER COLUMN bloque_jusqua SET DATA TYPE TIMESTAMPTZ;
ALTER TABLE connexion_echec ALTER COLUMN derniere SET DATA TYPE TIMESTAMPTZ;
ALTER TABLE departement ALTER COLUMN phase_depuis SET DATA TYPE TIMESTAMPTZ;
DROP INDEX dossier_eg;
ALTER TABLE dossier ALTER COLUMN created_at SET DATA TYPE TIMESTAMPTZ;
ALTER TABLE dossier ALTER COLUMN decided_at SET DATA TYPE TIMESTAMPTZ;
ALTER TABLE dossier ALTER COLUMN sent_at SET DATA TYPE TIMESTAMPTZ;
CREATE INDEX dossier_eg ON dossier (finess_eg);
DROP INDEX dossier_fiche_dossier;
ALTER TABLE dossier_fiche ALTER COLUMN updated_at SET DATA TYPE TIMESTAMPTZ;
CREATE INDEX dossier_fiche_dossier ON dossier_fiche (dossier_id);
ALTER TABLE dossier_message ALTER COLUMN created_at SET DATA TYPE TIMESTAMPTZ;
DROP INDEX eg_departement;
DROP INDEX eg_ej;
ALTER TABLE eg ALTER COLUMN updated_at SET DATA TYPE TIMESTAMPTZ;
CREATE INDEX eg_departement ON eg (departement);
CREATE INDEX eg_ej ON eg (finess_ej);
ALTER TABLE ej ALTER COLUMN updated_at SET DATA TYPE TIMESTAMPTZ;
ALTER TABLE favori ALTER COLUMN created_at SET DATA TYPE TIMESTAMPTZ;
ALTER TABLE import_finess ALTER COLUMN created_at SET DATA TYPE TIMESTAMPTZ;
ALTER TABLE notification ALTER COLUMN created_at SET DATA TYPE TIMESTAMPTZ;
ALTER TABLE schema_migration ALTER COLUMN applied_at SET DATA TYPE TIMESTAMPTZ;
ALTER TABLE session_navigateur ALTER COLUMN fermee_le SET DATA TYPE TIMESTAMPTZ;
ALTER TABLE session_navigateur ALTER COLUMN ouverte_le SET DATA TYPE TIMESTAMPTZ;
ALTER TABLE session_navigateur ALTER COLUMN vue_le SET DATA TYPE TIMESTAMPTZ;
DROP INDEX uo_eg;
ALTER TABLE uo ALTER COLUMN updated_at SET DATA TYPE TIMESTAMPTZ;
CREATE INDEX uo_eg ON uo (finess_eg);
