-- Security (docs/securite.md): an account's version, read at every click so that an open session follows a change
-- of role, scope or activity; the version of its sessions, raised when its password is changed or reset (the other
-- sessions end); when its temporary password was given (it expires); sign-in failures counted per login and client
-- address and per client address; what the base is (« demo » or « production »: demo mode starts only on a demo base).
ALTER TABLE app_user ADD COLUMN version INTEGER NOT NULL DEFAULT 0;
ALTER TABLE app_user ADD COLUMN version_session INTEGER NOT NULL DEFAULT 0;
ALTER TABLE app_user ADD COLUMN mot_de_passe_donne_le TIMESTAMP;
UPDATE app_user SET mot_de_passe_donne_le = created_at WHERE doit_changer_mot_de_passe;

-- the failures counted on the account itself let anyone lock any known login: counted per client instead
ALTER TABLE app_user DROP COLUMN failed_attempts;
ALTER TABLE app_user DROP COLUMN locked_until;

CREATE TABLE connexion_echec (
    cle           VARCHAR PRIMARY KEY,  -- 'compte:<login>|<client>' or 'client:<client>'
    echecs        INTEGER NOT NULL,
    derniere      TIMESTAMP NOT NULL,
    bloque_jusqua TIMESTAMP
);

-- Every base built so far was built by build-demo (the only way to create one): it is a demo base, and every one
-- of its accounts is a demo account (they all have the demo password).
INSERT INTO setting SELECT 'base_nature', 'demo' WHERE EXISTS (SELECT 1 FROM app_user WHERE demo)
    ON CONFLICT DO NOTHING;
UPDATE app_user SET demo = TRUE WHERE EXISTS (SELECT 1 FROM setting WHERE key = 'base_nature' AND value = 'demo');
INSERT INTO setting VALUES ('mot_de_passe_provisoire_heures', '72') ON CONFLICT DO NOTHING;
