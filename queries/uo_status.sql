-- The rows of the temporary table uo_selection (made by the caller on this connection, with at least uo_id)
-- with the opening status of each UO at one instant (rule: ror/opening.py):
--   statut: 'fermeture' (a closing period covers the date), 'non_renseigne', 'ouvert', 'ferie' (closed only
--   because today is a public holiday), 'ferme'; h24: the semaine type covers every minute of the week;
--   ouvert_jusqua: end of the current slot in minutes (may exceed 1440); fermeture_motif, fermeture_fin,
--   reouverture_prevue: the closing period in force.
-- Params: $date, $minute, $jour (planning day of today), $jour_semaine (real weekday), $veille (planning day
-- of yesterday), $ferie (today is a public holiday).
WITH slots AS (
    SELECT h.*
    FROM horaire h
    SEMI JOIN uo_selection s USING (uo_id)
),
today AS (
    SELECT uo_id,
        max(fin_min) FILTER (WHERE jour = $jour AND $minute >= debut_min AND $minute < fin_min) AS jusqua,
        bool_or(jour = $jour_semaine AND $minute >= debut_min AND $minute < fin_min) AS open_on_weekday
    FROM slots
    WHERE jour IN ($jour, $jour_semaine)
    GROUP BY uo_id
),
overnight AS (
    SELECT uo_id, max(fin_min - 1440) AS jusqua
    FROM slots
    WHERE jour = $veille AND fin_min > 1440 AND $minute + 1440 < fin_min
    GROUP BY uo_id
),
week AS (
    SELECT uo_id, count(DISTINCT jour) FILTER (WHERE debut_min = 0 AND fin_min >= 1440) = 7 AS h24
    FROM slots
    GROUP BY uo_id
),
closing AS (
    SELECT uo_id, arg_max(motif, date_fin) AS motif, max(date_fin) AS date_fin,
        max(reouverture_prevue) AS reouverture_prevue
    FROM fermeture
    SEMI JOIN uo_selection s USING (uo_id)
    WHERE $date BETWEEN date_debut AND date_fin
    GROUP BY uo_id
),
status AS (
    SELECT u.uo_id,
        CASE
            WHEN c.uo_id IS NOT NULL THEN 'fermeture'
            WHEN NOT u.horaires_renseignes THEN 'non_renseigne'
            WHEN t.jusqua IS NOT NULL OR o.jusqua IS NOT NULL THEN 'ouvert'
            WHEN $ferie AND coalesce(t.open_on_weekday, false) THEN 'ferie'
            ELSE 'ferme'
        END AS statut,
        coalesce(w.h24, false) AS h24,
        greatest(t.jusqua, o.jusqua) AS ouvert_jusqua,
        c.motif AS fermeture_motif,
        c.date_fin AS fermeture_fin,
        c.reouverture_prevue
    FROM uo u
    SEMI JOIN uo_selection s USING (uo_id)
    LEFT JOIN today t USING (uo_id)
    LEFT JOIN overnight o USING (uo_id)
    LEFT JOIN week w USING (uo_id)
    LEFT JOIN closing c USING (uo_id)
)
SELECT s.*, st.statut, st.h24, st.ouvert_jusqua, st.fermeture_motif, st.fermeture_fin, st.reouverture_prevue
FROM uo_selection s
JOIN status st USING (uo_id)
