-- 002: users and the work around the répertoire (favourites, dossiers, notifications, anomalies, audit).

CREATE TABLE app_user (
    user_id         BIGINT PRIMARY KEY,
    login           VARCHAR NOT NULL UNIQUE,
    prenom          VARCHAR NOT NULL,
    nom             VARCHAR NOT NULL,
    email           VARCHAR,
    role            VARCHAR NOT NULL,  -- directeur, referent, tutelle, support, admin
    organisation    VARCHAR,           -- 'ARS Île-de-France – DD 93', 'Conseil départemental' ...
    password_hash   VARCHAR NOT NULL,  -- argon2id, never the password
    actif           BOOLEAN NOT NULL DEFAULT TRUE,
    demo            BOOLEAN NOT NULL DEFAULT FALSE,  -- shown on the login page in demo mode
    failed_attempts INTEGER NOT NULL DEFAULT 0,
    locked_until    TIMESTAMP,
    last_login_at   TIMESTAMP,
    created_at      TIMESTAMP NOT NULL DEFAULT current_timestamp,
    CHECK (role IN ('directeur', 'referent', 'tutelle', 'support', 'admin'))
);

-- Territory of a tutelle (its départements).
CREATE TABLE user_territoire (
    user_id     BIGINT NOT NULL,
    departement VARCHAR NOT NULL,
    PRIMARY KEY (user_id, departement)
);

-- EG of a directeur or référent.
CREATE TABLE user_eg (
    user_id   BIGINT NOT NULL,
    finess_eg VARCHAR NOT NULL,
    PRIMARY KEY (user_id, finess_eg)
);

CREATE TABLE favori (
    user_id     BIGINT NOT NULL,
    target_type VARCHAR NOT NULL,      -- EJ, EG, UO
    target_id   VARCHAR NOT NULL,
    created_at  TIMESTAMP NOT NULL DEFAULT current_timestamp,
    PRIMARY KEY (user_id, target_type, target_id)
);

CREATE TABLE dossier (
    dossier_id  BIGINT PRIMARY KEY,
    finess_eg   VARCHAR NOT NULL,
    nom         VARCHAR NOT NULL,
    statut      VARCHAR NOT NULL,      -- brouillon, en_validation, programme, publie, refuse
    date_effet  DATE,
    created_by  BIGINT NOT NULL,
    created_at  TIMESTAMP NOT NULL DEFAULT current_timestamp,
    sent_by     BIGINT,
    sent_at     TIMESTAMP,
    decided_by  BIGINT,
    decided_at  TIMESTAMP,
    motif_refus VARCHAR,
    version     INTEGER NOT NULL DEFAULT 1,   -- optimistic locking: every transition bumps it
    CHECK (statut IN ('brouillon', 'en_validation', 'programme', 'publie', 'refuse'))
);
CREATE INDEX dossier_eg ON dossier (finess_eg);

-- One draft fiche of a dossier: the EG or one UO, as JSON, with its "finalisé" state.
CREATE TABLE dossier_fiche (
    fiche_id   BIGINT PRIMARY KEY,
    dossier_id BIGINT NOT NULL,
    niveau     VARCHAR NOT NULL,       -- EG, UO
    uo_id      BIGINT,                 -- the published UO it copies; NULL for a new UO
    action     VARCHAR NOT NULL DEFAULT 'inchange',  -- inchange, modifie, ajoute, ferme
    data       JSON NOT NULL,
    finalise   BOOLEAN NOT NULL DEFAULT FALSE,
    updated_at TIMESTAMP NOT NULL DEFAULT current_timestamp
);
CREATE INDEX dossier_fiche_dossier ON dossier_fiche (dossier_id);

CREATE TABLE dossier_message (
    message_id BIGINT PRIMARY KEY,
    dossier_id BIGINT NOT NULL,
    user_id    BIGINT NOT NULL,
    created_at TIMESTAMP NOT NULL DEFAULT current_timestamp,
    texte      VARCHAR NOT NULL
);

CREATE TABLE notification (
    notification_id BIGINT PRIMARY KEY,
    type        VARCHAR NOT NULL,      -- Information, Succès, Avertissement, Erreur
    source      VARCHAR NOT NULL,      -- Validation DC, Refus DC, Publication, Erreur, Anomalie
    objet       VARCHAR NOT NULL,
    cible_type  VARCHAR,               -- DOSSIER, ANOMALIE, EG, UO ...
    cible_id    VARCHAR,
    created_at  TIMESTAMP NOT NULL DEFAULT current_timestamp
);

-- Per-user delivery: reading or deleting a notification is for that user only.
CREATE TABLE notification_destinataire (
    notification_id BIGINT NOT NULL,
    user_id         BIGINT NOT NULL,
    lu              BOOLEAN NOT NULL DEFAULT FALSE,
    supprime        BOOLEAN NOT NULL DEFAULT FALSE,
    PRIMARY KEY (notification_id, user_id)
);

CREATE TABLE anomalie (
    anomalie_id BIGINT PRIMARY KEY,
    target_type VARCHAR NOT NULL,      -- EJ, EG, UO
    target_id   VARCHAR NOT NULL,
    departement VARCHAR NOT NULL,
    champ       VARCHAR,
    description VARCHAR NOT NULL,
    statut      VARCHAR NOT NULL DEFAULT 'nouvelle',  -- nouvelle, en_cours, resolue, rejetee
    reporter_id BIGINT NOT NULL,
    assignee_id BIGINT,
    relances    INTEGER NOT NULL DEFAULT 0,
    doublon_de  BIGINT,
    motif_rejet VARCHAR,
    dossier_id  BIGINT,                -- the dossier that corrected it
    created_at  TIMESTAMP NOT NULL DEFAULT current_timestamp,
    updated_at  TIMESTAMP NOT NULL DEFAULT current_timestamp,
    version     INTEGER NOT NULL DEFAULT 1,
    CHECK (statut IN ('nouvelle', 'en_cours', 'resolue', 'rejetee'))
);

CREATE TABLE anomalie_evenement (
    event_id    BIGINT PRIMARY KEY,
    anomalie_id BIGINT NOT NULL,
    created_at  TIMESTAMP NOT NULL DEFAULT current_timestamp,
    user_id     BIGINT,
    type        VARCHAR NOT NULL,      -- creation, statut, assignation, commentaire, relance ...
    detail      VARCHAR
);

CREATE TABLE audit (
    audit_id    BIGINT PRIMARY KEY,
    created_at  TIMESTAMP NOT NULL DEFAULT current_timestamp,
    user_login  VARCHAR NOT NULL,
    action      VARCHAR NOT NULL,      -- e.g. 'connexion', 'uo.modifier', 'dossier.valider'
    target_type VARCHAR,
    target_id   VARCHAR,
    old_value   JSON,
    new_value   JSON
);
CREATE INDEX audit_target ON audit (target_type, target_id);
