-- Fills recherche_uo (data/migrations/004) from uo, eg, ej, commune, uo_code, horaire and fermeture, sorted by
-- latitude so that a search's bounding box skips whole blocks of rows. Params: $finess_eg (VARCHAR[]: the
-- rows of those EG only, or NULL: all). Run by ror/recherche/search_index.py.
INSERT INTO recherche_uo
WITH units AS (
    SELECT * FROM uo WHERE $finess_eg IS NULL OR list_contains($finess_eg, finess_eg)
),
slots AS (
    SELECT uo_id, list({'jour': jour, 'debut_min': debut_min, 'fin_min': fin_min} ORDER BY jour, debut_min) AS creneaux
    FROM horaire
    SEMI JOIN units USING (uo_id)
    GROUP BY uo_id
),
codes AS (
    SELECT uo_id,
        list(code ORDER BY code) FILTER (WHERE system = 'TRE_R211') AS activites,
        list(code ORDER BY code) FILTER (WHERE system = 'APTITUDE_ROR_IF') AS aptitudes
    FROM uo_code
    SEMI JOIN units USING (uo_id)
    WHERE system IN ('TRE_R211', 'APTITUDE_ROR_IF')
    GROUP BY uo_id
),
closings AS (
    SELECT uo_id, list({'date_debut': date_debut, 'date_fin': date_fin, 'motif': motif,
        'reouverture_prevue': reouverture_prevue} ORDER BY date_debut) AS fermetures
    FROM fermeture
    SEMI JOIN units USING (uo_id)
    GROUP BY uo_id
)
SELECT
    u.uo_id, u.finess_eg, eg.finess_ej, u.oi_id, u.statut, u.nom, u.type_code, u.discipline, u.mode_pec_code, u.temporalite_code,
    u.public_enfants, u.public_adultes, u.age_min, u.age_max, u.telephone, u.email, u.horaires_renseignes,
    coalesce(eg.nom_usage, eg.nom), c.nom, c.population, eg.departement, eg.lat, eg.lon,
    ' ' || texte_normalise(u.nom) || ' ',
    ' ' || texte_normalise(eg.nom || ' ' || coalesce(eg.nom_usage, '')) || ' ',
    ' ' || texte_normalise(coalesce(ej.raison_sociale, '')) || ' ',
    coalesce(k.activites, []),
    coalesce(k.aptitudes, []),
    coalesce(s.creneaux, []),
    coalesce(len(list_distinct(list_transform(list_filter(s.creneaux,
        lambda c: c.debut_min = 0 AND c.fin_min >= 1440), lambda c: c.jour))) = 7, false),
    coalesce(f.fermetures, [])
FROM units u
JOIN eg USING (finess_eg)
LEFT JOIN ej ON ej.finess_ej = eg.finess_ej
LEFT JOIN commune c ON c.code_insee = eg.commune_insee
LEFT JOIN codes k USING (uo_id)
LEFT JOIN slots s USING (uo_id)
LEFT JOIN closings f USING (uo_id)
ORDER BY eg.lat, u.uo_id
