-- 001: the published répertoire and its reference data.
-- Foreign keys are not declared (DuckDB rewrites referenced rows on update); `python -m ror check`
-- reports orphan rows instead.

CREATE TABLE nomenclature (
    system        VARCHAR NOT NULL,   -- TRE_R211, TRE_R244, APTITUDE_ROR_IF ...
    code          VARCHAR NOT NULL,
    libelle       VARCHAR NOT NULL,
    libelle_court VARCHAR,
    actif         BOOLEAN NOT NULL DEFAULT TRUE,
    PRIMARY KEY (system, code)
);

CREATE TABLE departement (
    code    VARCHAR PRIMARY KEY,      -- '75', '2A' ...
    nom     VARCHAR NOT NULL,
    geojson VARCHAR                   -- boundary (GeoJSON geometry), NULL where none is bundled
);

CREATE TABLE commune (
    code_insee   VARCHAR PRIMARY KEY,
    nom          VARCHAR NOT NULL,
    departement  VARCHAR NOT NULL,
    codes_postaux VARCHAR,            -- '75001|75002'
    lat          DOUBLE NOT NULL,
    lon          DOUBLE NOT NULL,
    population   INTEGER,
    actuelle     BOOLEAN NOT NULL DEFAULT TRUE   -- still a commune in the current COG
);

CREATE TABLE ej (
    finess_ej      VARCHAR PRIMARY KEY,
    raison_sociale VARCHAR NOT NULL,
    departement    VARCHAR,
    statut_juridique VARCHAR,         -- 'public' / 'privé' / 'privé non lucratif' when known
    source         VARCHAR NOT NULL,  -- 'SAE 2023', 'généré', 'import FINESS', 'saisie'
    updated_at     TIMESTAMP NOT NULL DEFAULT current_timestamp,
    updated_by     VARCHAR
);

CREATE TABLE eg (
    finess_eg       VARCHAR PRIMARY KEY,
    finess_ej       VARCHAR NOT NULL,
    nom             VARCHAR NOT NULL,  -- raison sociale FINESS (kept as is)
    nom_usage       VARCHAR,           -- surnom / nom d'usage
    categorie_code  VARCHAR,           -- TRE_R66
    numero_voie     VARCHAR,
    type_voie       VARCHAR,
    voie            VARCHAR,
    complement      VARCHAR,
    code_postal     VARCHAR,
    commune_insee   VARCHAR,
    departement     VARCHAR NOT NULL,
    lat             DOUBLE,
    lon             DOUBLE,
    coord_source    VARCHAR,           -- 'finess' (real geocoding) or 'commune' (commune centroid)
    telephone       VARCHAR,
    email           VARCHAR,
    mail_alerte     VARCHAR,           -- alert address (cyberattaque, crise)
    directeur_nom   VARCHAR,
    directeur_telephone VARCHAR,
    directeur_email VARCHAR,
    source          VARCHAR NOT NULL,
    updated_at      TIMESTAMP NOT NULL DEFAULT current_timestamp,
    updated_by      VARCHAR
);
CREATE INDEX eg_ej ON eg (finess_ej);
CREATE INDEX eg_departement ON eg (departement);

CREATE TABLE oi (
    oi_id        BIGINT PRIMARY KEY,
    finess_eg    VARCHAR NOT NULL,
    parent_oi_id BIGINT,
    type_code    VARCHAR NOT NULL,     -- JDV_J203: 1 Pôle, 2 Service, 3 UF
    nom          VARCHAR NOT NULL
);
CREATE INDEX oi_eg ON oi (finess_eg);

CREATE TABLE uo (
    uo_id            BIGINT PRIMARY KEY,
    finess_eg        VARCHAR NOT NULL,
    oi_id            BIGINT,
    nom              VARCHAR NOT NULL,
    type_code        VARCHAR NOT NULL,  -- TRE_R244 catégorie d'organisation
    champ_code       VARCHAR NOT NULL,  -- TRE_R227 champ d'activité
    discipline       VARCHAR NOT NULL,  -- grand groupe de discipline: MCO, SMR, PSY, SLD, MSS
    mode_pec_code    VARCHAR,           -- TRE_R213 mode de prise en charge
    temporalite_code VARCHAR,           -- TRE_R240 temporalité d'accueil
    telephone        VARCHAR,
    email            VARCHAR,
    responsable_nom  VARCHAR,
    responsable_email VARCHAR,
    public_enfants   BOOLEAN NOT NULL DEFAULT FALSE,
    public_adultes   BOOLEAN NOT NULL DEFAULT TRUE,
    age_min          INTEGER,
    age_max          INTEGER,
    lits             INTEGER,
    places           INTEGER,
    horaires_renseignes BOOLEAN NOT NULL DEFAULT TRUE, -- FALSE: "horaires non renseignés"
    statut           VARCHAR NOT NULL DEFAULT 'active', -- 'active' / 'fermee'
    source           VARCHAR NOT NULL,
    updated_at       TIMESTAMP NOT NULL DEFAULT current_timestamp,
    updated_by       VARCHAR
);
CREATE INDEX uo_eg ON uo (finess_eg);

-- Every code list of a UO in one table: activités (TRE_R211), aptitudes (APTITUDE_ROR_IF),
-- spécialisations (TRE_R245), compétences (TRE_R243), professions (JDV_J186), publics (TRE_R239),
-- modalités d'accueil (TRE_R338).
CREATE TABLE uo_code (
    uo_id  BIGINT NOT NULL,
    system VARCHAR NOT NULL,
    code   VARCHAR NOT NULL,
    PRIMARY KEY (uo_id, system, code)
);

-- Semaine type: one row per opening slot. Minutes from the day's midnight; fin_min may exceed 1440
-- for a slot that runs past midnight (e.g. 1320 -> 1860 = 22:00 to 07:00 the next day).
CREATE TABLE horaire (
    uo_id     BIGINT NOT NULL,
    jour      TINYINT NOT NULL,        -- 1 = lundi ... 7 = dimanche
    debut_min SMALLINT NOT NULL,
    fin_min   SMALLINT NOT NULL,
    CHECK (jour BETWEEN 1 AND 7),
    CHECK (debut_min >= 0 AND debut_min < 1440 AND fin_min > debut_min AND fin_min <= 2880)
);
CREATE INDEX horaire_uo ON horaire (uo_id);

CREATE TABLE fermeture (
    fermeture_id BIGINT PRIMARY KEY,
    uo_id        BIGINT NOT NULL,
    date_debut   DATE NOT NULL,
    date_fin     DATE NOT NULL,
    motif        VARCHAR NOT NULL,     -- 'annuelle', 'temporaire', 'travaux' ...
    reouverture_prevue DATE,
    CHECK (date_fin >= date_debut)
);
CREATE INDEX fermeture_uo ON fermeture (uo_id);

CREATE TABLE setting (
    key   VARCHAR PRIMARY KEY,
    value VARCHAR NOT NULL
);
