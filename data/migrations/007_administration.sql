-- 007: administration and exchange (docs/administration.md).
-- The FINESS facts an import keeps on an EG, the « change your password » flag of an account given a temporary
-- password, and the journal of the FINESS imports with their report.
ALTER TABLE eg ADD COLUMN siret VARCHAR;
ALTER TABLE eg ADD COLUMN date_ouverture DATE;
ALTER TABLE eg ADD COLUMN date_autorisation DATE;
ALTER TABLE eg ADD COLUMN finess_maj DATE;                 -- datemaj of the FINESS record last imported
ALTER TABLE app_user ADD COLUMN doit_changer_mot_de_passe BOOLEAN DEFAULT FALSE;

CREATE TABLE import_finess (
    import_id   BIGINT PRIMARY KEY,
    created_at  TIMESTAMP NOT NULL DEFAULT current_localtimestamp(),
    user_login  VARCHAR NOT NULL,
    fichier     VARCHAR NOT NULL,
    format      VARCHAR NOT NULL,      -- 'etalab' (structureet / geolocalisation lines) or 'csv' (with a header)
    lignes      INTEGER NOT NULL,
    crees       INTEGER NOT NULL,
    modifies    INTEGER NOT NULL,
    inchanges   INTEGER NOT NULL,
    rejetes     INTEGER NOT NULL,
    rapport     JSON NOT NULL          -- the whole report: changed fields, rejected lines with their reason
);
