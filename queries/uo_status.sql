-- The opening status of some UO at one instant (rule: ror/repertoire/opening.py), computed by joins on the slots and
-- closing periods of these UO only (a few milliseconds for thousands of UO).
-- statut: 'fermeture' (a closing period covers the date), 'non_renseigne', 'ouvert' (a slot of the planning day
-- covers the minute, or yesterday's slot running past midnight), 'ferie' (closed only because of the public
-- holiday), 'ferme'; ouvert_jusqua: end of the current slot in minutes from today's midnight (may exceed 1440);
-- the closing period shown is the one ending last.
-- Returns: uo_id, h24, statut, ouvert_jusqua, fermeture_motif, fermeture_fin, reouverture_prevue.
-- Params: table ids (uo_id BIGINT: a frame, see queries/__init__.py), $date, $minute, $jour,
-- $jour_semaine, $veille, $ferie, $locaux (opening.Moment: the départements whose holidays are their own).
WITH locaux AS (
    SELECT unnest($locaux, recursive := true)
),
day AS (
    -- the planning day of each UO: the national one, or its département's (Alsace-Moselle, overseas)
    SELECT r.uo_id, coalesce(l.jour, $jour) AS jour, coalesce(l.veille, $veille) AS veille,
        coalesce(l.ferie, $ferie) AS ferie
    FROM recherche_uo r SEMI JOIN ids USING (uo_id)
    LEFT JOIN locaux l ON l.departement = r.departement
),
slot AS (
    -- the end (minutes from today's midnight) of the slot covering the instant: today's, or yesterday's
    -- running past midnight
    -- (on a holiday Monday, jour and veille are both Sunday: the bounds tell which slot it is)
    SELECT h.uo_id,
        max(CASE WHEN h.jour = d.jour AND $minute >= debut_min AND $minute < fin_min THEN fin_min ELSE fin_min - 1440 END) AS fin
    FROM horaire h JOIN day d USING (uo_id)
    WHERE (h.jour = d.jour AND $minute >= debut_min AND $minute < fin_min)
       OR (h.jour = d.veille AND fin_min > 1440 AND $minute + 1440 < fin_min)
    GROUP BY h.uo_id
),
holiday AS (
    -- on a public holiday, the UO that would be open on this weekday
    SELECT DISTINCT h.uo_id
    FROM horaire h JOIN day d USING (uo_id)
    WHERE d.ferie AND h.jour = $jour_semaine AND $minute >= debut_min AND $minute < fin_min
),
closing AS (
    -- the closing period covering the date, the one ending last
    SELECT uo_id, max({'fin': date_fin, 'motif': motif, 'reouverture': reouverture_prevue}) AS f
    FROM fermeture SEMI JOIN ids USING (uo_id)
    WHERE $date BETWEEN date_debut AND date_fin
    GROUP BY uo_id
)
SELECT r.uo_id, r.h24,
    CASE
        WHEN c.uo_id IS NOT NULL THEN 'fermeture'
        WHEN NOT r.horaires_renseignes THEN 'non_renseigne'
        WHEN s.uo_id IS NOT NULL THEN 'ouvert'
        WHEN h.uo_id IS NOT NULL THEN 'ferie'
        ELSE 'ferme'
    END AS statut,
    s.fin AS ouvert_jusqua,
    c.f.motif AS fermeture_motif,
    c.f.fin AS fermeture_fin,
    c.f.reouverture AS reouverture_prevue
FROM recherche_uo r
SEMI JOIN ids USING (uo_id)
LEFT JOIN slot s USING (uo_id)
LEFT JOIN holiday h USING (uo_id)
LEFT JOIN closing c USING (uo_id)
