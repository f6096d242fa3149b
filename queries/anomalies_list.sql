-- The anomalies a user may see, with what the queue shows and filters on. Returns: anomalie_id, statut,
-- target_type, target_id, cible, etablissement, finess_eg, finess_ej, departement, champ, description,
-- reporter_id, signale_par, assignee_id, assigne_a, relances, doublon_de, dossier_id, motif_rejet,
-- created_at, updated_at, closed_at, age_jours (until closed), version.
-- Visibility params (ror/anomalies.visible_scope): $departements, $finess_eg (VARCHAR[]; both NULL: all),
-- $reporter_id (his own reports are always visible).
-- Filters (NULL: no filter): $statuts, $niveaux, $deps (VARCHAR[]), $etablissement (part of a name or a
-- FINESS), $assignee_id (-1: nobody), $age_min (days), $mine (a reporter: only his reports),
-- $target_type + $target_id (one fiche's), $anomalie_id (one report).
WITH visible AS (
    SELECT a.*
    FROM anomalie a
    WHERE (($departements IS NULL AND $finess_eg IS NULL)
           OR list_contains($departements, a.departement)
           OR list_contains($finess_eg, a.finess_eg)
           OR a.reporter_id = $reporter_id)
      AND ($statuts IS NULL OR list_contains($statuts, a.statut))
      AND ($niveaux IS NULL OR list_contains($niveaux, a.target_type))
      AND ($deps IS NULL OR list_contains($deps, a.departement))
      AND ($mine IS NULL OR a.reporter_id = $mine)
      AND ($target_type IS NULL OR (a.target_type = $target_type AND a.target_id = $target_id))
      AND ($assignee_id IS NULL OR coalesce(a.assignee_id, -1) = $assignee_id)
      AND ($anomalie_id IS NULL OR a.anomalie_id = $anomalie_id)
), named AS (
    SELECT
        v.*,
        CASE v.target_type
            WHEN 'UO' THEN uo.nom
            WHEN 'EG' THEN coalesce(eg.nom_usage, eg.nom)
            ELSE ej.raison_sociale
        END AS cible,
        CASE WHEN v.target_type = 'EJ' THEN ej.raison_sociale ELSE coalesce(eg.nom_usage, eg.nom) END
            AS etablissement,
        date_diff('day', CAST(v.created_at AS DATE), coalesce(CAST(v.closed_at AS DATE), current_date))
            AS age_jours
    FROM visible v
    LEFT JOIN eg ON eg.finess_eg = v.finess_eg
    LEFT JOIN ej ON ej.finess_ej = v.finess_ej
    LEFT JOIN uo ON v.target_type = 'UO' AND CAST(uo.uo_id AS VARCHAR) = v.target_id
)
SELECT
    n.anomalie_id, n.statut, n.target_type, n.target_id, n.cible, n.etablissement, n.finess_eg, n.finess_ej,
    n.departement, n.champ, n.description, n.reporter_id, r.prenom || ' ' || r.nom AS signale_par,
    n.assignee_id, s.prenom || ' ' || s.nom AS assigne_a, n.relances, n.doublon_de, n.dossier_id, n.motif_rejet,
    n.created_at, n.updated_at, n.closed_at, n.age_jours, n.version
FROM named n
LEFT JOIN app_user r ON r.user_id = n.reporter_id
LEFT JOIN app_user s ON s.user_id = n.assignee_id
WHERE ($age_min IS NULL OR n.age_jours >= $age_min)
  AND ($etablissement IS NULL
       OR strip_accents(lower(n.etablissement)) LIKE '%' || strip_accents(lower($etablissement)) || '%'
       OR n.finess_eg LIKE $etablissement || '%' OR n.finess_ej LIKE $etablissement || '%')
ORDER BY n.created_at, n.anomalie_id
