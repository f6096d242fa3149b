-- The active UO that match every term of a search (all of them when there is no term), within a radius of a
-- place and a territory, with their distance to the place and their pertinence score (docs/recherche.md).
-- Returns: uo_id, finess_eg, nom, type_code, discipline, mode_pec_code, temporalite_code, public_enfants,
-- public_adultes, age_min, age_max, telephone, email, horaires_renseignes, eg_nom, commune, population,
-- departement, lat, lon, distance_km (NULL without a place), score.
-- Params: $terms (VARCHAR[], each normalised by ror/search.py: [a-z0-9 ] only), $lat, $lon (the place, or
-- NULL), $rayon (km, or NULL for no limit), $departements (VARCHAR[] or NULL for everywhere).
-- Score of a term on a text: exact label 100, label starting with it 80, whole word 60, start of a word 50,
-- inside a word 40 (terms of 5 letters or more), fuzzy (Jaro-Winkler >= 0.9 with a word of 4 letters or
-- more, terms of 5 letters or more) 25; × 1.5 on the type d'UO and activités, × 1 on the other code lists
-- and the UO name, × 0.5 on the EG name. A UO keeps its best score per term; its score is the sum over terms.
WITH area AS (
    -- where to look: the active UO of the territory within the radius (a bounding box first)
    SELECT
        u.uo_id, u.finess_eg, u.nom, u.type_code, u.discipline, u.mode_pec_code, u.temporalite_code,
        u.public_enfants, u.public_adultes, u.age_min, u.age_max, u.telephone, u.email, u.horaires_renseignes,
        coalesce(eg.nom_usage, eg.nom) AS eg_nom, eg.nom_usage AS eg_nom_usage, eg.nom AS eg_raison_sociale,
        c.nom AS commune, c.population, eg.departement, eg.lat, eg.lon,
        CASE WHEN $lat IS NOT NULL THEN distance_km($lat, $lon, eg.lat, eg.lon) END AS distance_km
    FROM uo u
    JOIN eg USING (finess_eg)
    LEFT JOIN commune c ON c.code_insee = eg.commune_insee
    WHERE u.statut = 'active'
      AND ($departements IS NULL OR list_contains($departements, eg.departement))
      AND ($rayon IS NULL OR (
            eg.lat BETWEEN $lat - $rayon / 111.0 AND $lat + $rayon / 111.0
            AND eg.lon BETWEEN $lon - $rayon / (111.0 * cos(radians($lat))) - 0.01
                           AND $lon + $rayon / (111.0 * cos(radians($lat))) + 0.01))
),
nearby AS (
    SELECT * FROM area WHERE $rayon IS NULL OR distance_km <= $rayon
),
terms AS (
    SELECT DISTINCT unnest($terms::VARCHAR[]) AS term
),
labels AS (
    SELECT system, code, ' ' || texte_normalise(libelle) || ' ' AS label,
        CASE WHEN system IN ('TRE_R244', 'TRE_R211') THEN 1.5 ELSE 1.0 END AS weight
    FROM nomenclature
    WHERE system IN ('TRE_R244', 'TRE_R211', 'APTITUDE_ROR_IF', 'TRE_R245', 'TRE_R243', 'JDV_J186')
),
label_hits AS (
    SELECT term, system, code, weight * score AS score
    FROM (
        SELECT t.term, l.system, l.code, l.weight,
            CASE
                WHEN l.label = ' ' || t.term || ' ' THEN 100
                WHEN starts_with(l.label, ' ' || t.term) THEN 80
                WHEN contains(l.label, ' ' || t.term || ' ') THEN 60
                WHEN contains(l.label, ' ' || t.term) THEN 50
                WHEN length(t.term) >= 5 AND contains(l.label, t.term) THEN 40
                WHEN length(t.term) >= 5 AND list_max(list_transform(list_filter(string_split(trim(l.label), ' '),
                    lambda w: length(w) >= 4), lambda w: jaro_winkler_similarity(w, t.term))) >= 0.9 THEN 25
            END AS score
        FROM terms t
        CROSS JOIN labels l
    )
    WHERE score IS NOT NULL
),
texts AS (
    -- the UO name (weight 1) and its EG's names (weight 0.5), as ' word word '
    SELECT uo_id, ' ' || texte_normalise(nom) || ' ' AS text, 1.0 AS weight FROM nearby
    UNION ALL
    SELECT uo_id, ' ' || texte_normalise(eg_raison_sociale || ' ' || coalesce(eg_nom_usage, '')) || ' ', 0.5
    FROM nearby
),
text_hits AS (
    SELECT x.uo_id, t.term,
        x.weight * CASE
            WHEN contains(x.text, ' ' || t.term || ' ') THEN 60
            WHEN contains(x.text, ' ' || t.term) THEN 50
            ELSE 40
        END AS score
    FROM texts x
    JOIN terms t ON contains(x.text, CASE WHEN length(t.term) >= 5 THEN t.term ELSE ' ' || t.term END)
),
hits AS (
    SELECT uo_id, term, max(score) AS score
    FROM (
        SELECT c.uo_id, h.term, h.score
        FROM uo_code c
        JOIN label_hits h USING (system, code)
        SEMI JOIN nearby n USING (uo_id)
        UNION ALL
        SELECT n.uo_id, h.term, h.score FROM nearby n JOIN label_hits h ON h.system = 'TRE_R244' AND h.code = n.type_code
        UNION ALL
        SELECT uo_id, term, score FROM text_hits
    )
    GROUP BY uo_id, term
),
matched AS (
    SELECT uo_id, sum(score) AS score FROM hits GROUP BY uo_id HAVING count(*) = (SELECT count(*) FROM terms)
    UNION ALL
    SELECT uo_id, 0 FROM nearby WHERE (SELECT count(*) FROM terms) = 0
)
SELECT n.* EXCLUDE (eg_nom_usage, eg_raison_sociale), m.score::DOUBLE AS score
FROM nearby n
JOIN matched m USING (uo_id)
