-- The UO that match terms of a search, each with its best score for each term, over the whole search index (the
-- in-memory engine, ror/recherche/engine.py, keeps the answer per term and index version and applies the place,
-- the territory and the other terms itself) or of some UO (after a write, those of the EG written: the engine keeps
-- the others' matches).
-- Reads the index (data/migrations/004 and 009).
-- Returns: term, uo_id, score. Params: $terms (VARCHAR[], each normalised by ror/recherche/search.py: [a-z0-9 ]
-- only), $uo_ids (BIGINT[]: those UO only; NULL: every UO).
-- Score of a term on a text: exact label 100, label starting with it 80, whole word 60, start of a word 50,
-- inside a word 40 (terms of 5 letters or more), fuzzy (Jaro-Winkler >= 0.9 with a word of 4 letters or
-- more, terms of 5 letters or more) 25; × 1.5 on the type d'UO and activités (the label's poids), × 1 on the other
-- code lists and the UO name, × 0.5 on the EG name. A UO keeps its best score.
WITH term AS (
    -- pattern: what a name must contain to match (the start of a word; anywhere from 5 letters)
    SELECT term, CASE WHEN length(term) >= 5 THEN term ELSE ' ' || term END AS pattern
    FROM (SELECT unnest($terms::VARCHAR[]) AS term)
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
        FROM term t
        CROSS JOIN recherche_libelle l
    )
    WHERE score IS NOT NULL
),
text_hits AS (
    -- the UO name (weight 1) and its EG's names (weight 0.5), stored as ' word word ': a plain `contains`
    -- first (fast), the score after
    SELECT t.term, r.uo_id,
        greatest(
            CASE
                WHEN contains(r.texte_uo, ' ' || t.term || ' ') THEN 60.0
                WHEN contains(r.texte_uo, ' ' || t.term) THEN 50.0
                WHEN length(t.term) >= 5 AND contains(r.texte_uo, t.term) THEN 40.0
            END,
            CASE
                WHEN contains(r.texte_eg, ' ' || t.term || ' ') THEN 30.0
                WHEN contains(r.texte_eg, ' ' || t.term) THEN 25.0
                WHEN length(t.term) >= 5 AND contains(r.texte_eg, t.term) THEN 20.0
            END
        )::DOUBLE AS score
    FROM (SELECT uo_id, texte_uo, texte_eg FROM recherche_uo WHERE $uo_ids IS NULL OR list_contains($uo_ids, uo_id)) r
    CROSS JOIN term t
    WHERE contains(r.texte_uo, t.pattern) OR contains(r.texte_eg, t.pattern)
)
SELECT term, uo_id, max(score)::DOUBLE AS score
FROM (
    SELECT term, unnest(uo_ids) AS uo_id, score FROM label_hits
    UNION ALL
    SELECT term, uo_id, score FROM text_hits
)
WHERE $uo_ids IS NULL OR uo_id IN (SELECT unnest($uo_ids::BIGINT[]))
GROUP BY term, uo_id
