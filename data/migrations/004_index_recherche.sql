-- 004: the search index, derived from the répertoire so that a search never normalises text nor scans the
-- horaires at query time, and the opening-status rule as SQL macros over it. ror/recherche/search_index.py fills it
-- (`refresh`) and records the data version it reflects in setting 'index_recherche_version'; a search on a
-- stale index refreshes it first. Never edited by hand.

-- One row per UO (every statut): what a search filters, shows and matches, with its EG and commune.
CREATE TABLE recherche_uo (
    uo_id            BIGINT NOT NULL,
    finess_eg        VARCHAR NOT NULL,
    finess_ej        VARCHAR NOT NULL,
    oi_id            BIGINT,
    statut           VARCHAR NOT NULL,
    nom              VARCHAR NOT NULL,
    type_code        VARCHAR NOT NULL,
    discipline       VARCHAR NOT NULL,
    mode_pec_code    VARCHAR,
    temporalite_code VARCHAR,
    public_enfants   BOOLEAN NOT NULL,
    public_adultes   BOOLEAN NOT NULL,
    age_min          INTEGER,
    age_max          INTEGER,
    telephone        VARCHAR,
    email            VARCHAR,
    horaires_renseignes BOOLEAN NOT NULL,
    eg_nom           VARCHAR NOT NULL,    -- nom d'usage, else raison sociale
    commune          VARCHAR,
    population       INTEGER,
    departement      VARCHAR NOT NULL,
    lat              DOUBLE,
    lon              DOUBLE,
    texte_uo         VARCHAR NOT NULL,    -- ' ' || texte_normalise(UO name) || ' '
    texte_eg         VARCHAR NOT NULL,    -- the same of the EG's raison sociale and nom d'usage
    texte_ej         VARCHAR NOT NULL,    -- the same of the EJ's raison sociale
    activites        VARCHAR[] NOT NULL,  -- TRE_R211 codes
    aptitudes        VARCHAR[] NOT NULL,  -- APTITUDE_ROR_IF codes
    creneaux         STRUCT(jour TINYINT, debut_min SMALLINT, fin_min SMALLINT)[] NOT NULL,  -- semaine type
    h24              BOOLEAN NOT NULL,    -- the semaine type covers every minute of the week
    fermetures       STRUCT(date_debut DATE, date_fin DATE, motif VARCHAR, reouverture_prevue DATE)[] NOT NULL
);

-- The places "Où" suggests: current communes and located EG, with their normalised names.
CREATE TABLE recherche_lieu (
    cle         VARCHAR NOT NULL,         -- 'commune:<insee>' / 'eg:<finess>'
    type        VARCHAR NOT NULL,         -- 'commune' / 'eg'
    code        VARCHAR NOT NULL,         -- INSEE code / FINESS
    libelle     VARCHAR NOT NULL,
    detail      VARCHAR NOT NULL,
    lat         DOUBLE NOT NULL,
    lon         DOUBLE NOT NULL,
    departement VARCHAR NOT NULL,
    population  INTEGER,
    codes_postaux VARCHAR,                -- '|75001|75002|' (communes)
    texte       VARCHAR NOT NULL,         -- texte_normalise(libelle)
    texte_complet VARCHAR NOT NULL        -- ' ' || every name normalised (EG: raison sociale and nom d'usage)
);

-- The labels "Quoi" matches, with their weight in the pertinence score and the number of active UO carrying
-- them (labels no UO carries are kept: a search on them finds nothing rather than failing).
CREATE TABLE recherche_libelle (
    system  VARCHAR NOT NULL,
    code    VARCHAR NOT NULL,
    libelle VARCHAR NOT NULL,
    texte   VARCHAR NOT NULL,             -- texte_normalise(libelle)
    poids   DOUBLE NOT NULL,              -- 1.5 on the type d'UO and activités, 1 elsewhere
    uo      INTEGER NOT NULL
);

-- The opening status of a UO at an instant (rule and wording: ror/repertoire/opening.py; parameters: opening.Moment).
-- creneaux, fermetures, renseignes: the UO's columns of recherche_uo; d: the date; m: minutes since midnight;
-- j: planning day of today (7 on a public holiday); js: real weekday; veille: planning day of yesterday;
-- ferie: today is a public holiday.

-- End (minutes from midnight) of the slot of day j that contains minute m, NULL if none.
CREATE OR REPLACE MACRO creneau_en_cours(creneaux, j, m) AS list_max(list_transform(
    list_filter(creneaux, lambda c: c.jour = j AND m >= c.debut_min AND m < c.fin_min), lambda c: c.fin_min));

-- End (minutes from today's midnight) of yesterday's slot that runs past midnight and still covers minute m.
CREATE OR REPLACE MACRO creneau_de_la_veille(creneaux, veille, m) AS list_max(list_transform(
    list_filter(creneaux, lambda c: c.jour = veille AND c.fin_min > 1440 AND m + 1440 < c.fin_min),
    lambda c: c.fin_min - 1440));

-- The closing periods covering date d.
CREATE OR REPLACE MACRO fermetures_du_jour(fermetures, d) AS
    list_filter(fermetures, lambda f: d BETWEEN f.date_debut AND f.date_fin);

-- The closing period covering date d (the one ending last), NULL if none: {fin, motif, reouverture}.
CREATE OR REPLACE MACRO fermeture_en_cours(fermetures, d) AS list_sort(list_transform(fermetures_du_jour(fermetures, d),
    lambda f: {'fin': f.date_fin, 'motif': f.motif, 'reouverture': f.reouverture_prevue}), 'DESC')[1];

-- {statut, ouvert_jusqua, fermeture_motif, fermeture_fin, reouverture_prevue}; statut: 'fermeture' (a closing
-- period covers the date), 'non_renseigne', 'ouvert', 'ferie' (closed only because of the public holiday),
-- 'ferme'; ouvert_jusqua: end of the current slot in minutes (may exceed 1440).
CREATE OR REPLACE MACRO ouverture(creneaux, fermetures, renseignes, d, m, j, js, veille, ferie) AS {
    'statut': CASE
        WHEN len(fermetures_du_jour(fermetures, d)) > 0 THEN 'fermeture'
        WHEN NOT renseignes THEN 'non_renseigne'
        WHEN creneau_en_cours(creneaux, j, m) IS NOT NULL OR creneau_de_la_veille(creneaux, veille, m) IS NOT NULL
            THEN 'ouvert'
        WHEN ferie AND creneau_en_cours(creneaux, js, m) IS NOT NULL THEN 'ferie'
        ELSE 'ferme'
    END,
    'ouvert_jusqua': greatest(creneau_en_cours(creneaux, j, m), creneau_de_la_veille(creneaux, veille, m)),
    'fermeture_motif': fermeture_en_cours(fermetures, d).motif,
    'fermeture_fin': fermeture_en_cours(fermetures, d).fin,
    'reouverture_prevue': fermeture_en_cours(fermetures, d).reouverture
};
