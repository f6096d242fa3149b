-- The whole search in one statement, as the app ran it before the in-memory engine (ror/recherche/engine.py): the
-- reference the engine is checked against (tests/search_reference.py, tests/test_search_engine.py); not run by the app.
-- The active UO that match every term of a search (all of them when there is no term), within a radius of a
-- place and a territory, with their distance to the place, their pertinence score (docs/recherche.md) and
-- whether they are open at an instant: only what the filters, counts and ranking need
-- (queries/search_eg.sql and search_rows.sql describe the rows shown). Reads the search index
-- (data/migrations/004 and 009, kept fresh by ror/recherche/search_index.py).
-- Returns: uo_id, finess_eg, departement, discipline, type_code, mode_pec_code, temporalite_code,
-- public_enfants, public_adultes, age_min, age_max, activites, aptitudes (code lists), distance_km (NULL
-- without a place), score, ouvert (the status 'ouvert' of queries/uo_status.sql, stated here on the slots and
-- closing periods the index keeps as lists on each UO).
-- Params: $terms (VARCHAR[], each normalised by ror/recherche/search.py: [a-z0-9 ] only), $lat, $lon (the place, or
-- NULL), $rayon (km, or NULL for no limit), $departements (VARCHAR[] or NULL for everywhere), and the instant:
-- $date, $minute, $jour, $veille (ror/repertoire/opening.py Moment; on a public holiday $jour is already 7).
-- Score of a term on a text: exact label 100, label starting with it 80, whole word 60, start of a word 50,
-- inside a word 40 (terms of 5 letters or more), fuzzy (Jaro-Winkler >= 0.9 with a word of 4 letters or
-- more, terms of 5 letters or more) 25; × 1.5 on the type d'UO and activités, × 1 on the other code lists
-- and the UO name, × 0.5 on the EG name. A UO keeps its best score per term; its score is the sum over terms.
WITH nearby AS NOT MATERIALIZED (
    -- where to look: the active UO of the territory within the radius (a bounding box first); read again by
    -- each part below rather than stored (faster)
    SELECT uo_id, texte_uo, texte_eg
    FROM recherche_uo
    WHERE statut = 'active'
      AND ($departements IS NULL OR list_contains($departements, departement))
      AND ($rayon IS NULL OR (
            lat BETWEEN $lat - $rayon / 111.0 AND $lat + $rayon / 111.0
            AND lon BETWEEN $lon - $rayon / (111.0 * cos(radians($lat))) - 0.01
                        AND $lon + $rayon / (111.0 * cos(radians($lat))) + 0.01
            AND distance_km($lat, $lon, lat, lon) <= $rayon))
),
terms AS (
    -- pattern: what a text must contain to match (the start of a word; anywhere from 5 letters)
    SELECT term, CASE WHEN length(term) >= 5 THEN term ELSE ' ' || term END AS pattern
    FROM (SELECT DISTINCT unnest($terms::VARCHAR[]) AS term)
),
label_hits AS (
    SELECT term, uo_ids, poids * score AS score
    FROM (
        SELECT t.term, l.uo_ids, l.poids,
            CASE
                WHEN l.texte = t.term THEN 100
                WHEN starts_with(l.texte, t.term) THEN 80
                WHEN contains(' ' || l.texte || ' ', ' ' || t.term || ' ') THEN 60
                WHEN contains(' ' || l.texte, ' ' || t.term) THEN 50
                WHEN length(t.term) >= 5 AND contains(l.texte, t.term) THEN 40
                WHEN length(t.term) >= 5 AND list_max(list_transform(list_filter(string_split(l.texte, ' '),
                    lambda w: length(w) >= 4), lambda w: jaro_winkler_similarity(w, t.term))) >= 0.9 THEN 25
            END AS score
        FROM terms t
        CROSS JOIN recherche_libelle l
    )
    WHERE score IS NOT NULL
),
text_hits AS (
    -- the UO name (weight 1) and its EG's names (weight 0.5), stored as ' word word ': a plain `contains`
    -- first (fast), the score after
    SELECT uo_id, term,
        greatest(
            CASE
                WHEN contains(texte_uo, ' ' || term || ' ') THEN 60.0
                WHEN contains(texte_uo, ' ' || term) THEN 50.0
                WHEN length(term) >= 5 AND contains(texte_uo, term) THEN 40.0
            END,
            CASE
                WHEN contains(texte_eg, ' ' || term || ' ') THEN 30.0
                WHEN contains(texte_eg, ' ' || term) THEN 25.0
                WHEN length(term) >= 5 AND contains(texte_eg, term) THEN 20.0
            END
        )::DOUBLE AS score
    FROM (
        SELECT n.uo_id, n.texte_uo, n.texte_eg, t.term
        FROM nearby n
        JOIN terms t ON contains(n.texte_uo, t.pattern) OR contains(n.texte_eg, t.pattern)
    )
),
hits AS NOT MATERIALIZED (
    -- the UO carrying a matching label (type d'UO or code list): its list of UO, then the place
    SELECT uo_id, term, score
    FROM (SELECT unnest(uo_ids) AS uo_id, term, score FROM label_hits)
    SEMI JOIN nearby USING (uo_id)
    UNION ALL
    SELECT uo_id, term, score FROM text_hits
),
matched AS (
    -- (a condition on $terms alone is a constant: DuckDB drops the branches it excludes before running)
    -- one term: a UO's best score for it (one grouping)
    SELECT uo_id, max(score) AS score FROM hits WHERE len(list_distinct($terms::VARCHAR[])) = 1 GROUP BY uo_id
    UNION ALL
    -- several: its best score for each term, summed, if it matches them all
    SELECT uo_id, sum(score)
    FROM (
        SELECT uo_id, term, max(score) AS score FROM hits WHERE len(list_distinct($terms::VARCHAR[])) > 1
        GROUP BY uo_id, term
    )
    GROUP BY uo_id
    HAVING count(*) = len(list_distinct($terms::VARCHAR[]))
    UNION ALL
    SELECT uo_id, 0 FROM nearby WHERE len($terms::VARCHAR[]) = 0
)
SELECT
    r.uo_id, r.finess_eg, r.departement, r.discipline, r.type_code, r.mode_pec_code, r.temporalite_code,
    r.public_enfants, r.public_adultes, r.age_min, r.age_max, r.activites, r.aptitudes,
    CASE WHEN $lat IS NOT NULL THEN distance_km($lat, $lon, r.lat, r.lon) END AS distance_km,
    m.score::DOUBLE AS score,
    r.horaires_renseignes
        -- a slot covering the instant: today's (planning day), or yesterday's running past midnight
        AND len(list_filter(r.creneaux, lambda c:
            (c.jour = $jour AND $minute >= c.debut_min AND $minute < c.fin_min)
            OR (c.jour = $veille AND c.fin_min > 1440 AND $minute + 1440 < c.fin_min))) > 0
        -- and no closing period covering the date
        AND len(list_filter(r.fermetures, lambda f: $date BETWEEN f.date_debut AND f.date_fin)) = 0 AS ouvert
FROM matched m
JOIN recherche_uo r USING (uo_id)
