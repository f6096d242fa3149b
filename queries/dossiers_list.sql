-- The dossiers collaboratifs a user may see, newest activity first. Returns: dossier_id, nom, finess_eg,
-- etablissement, departement, statut, date_effet, created_at, sent_at, decided_at, motif_refus, fiches,
-- finalisees. Params: $departements (VARCHAR[] or NULL: everywhere), $finess_eg (VARCHAR[] or NULL: no
-- restriction), $statuts (VARCHAR[] or NULL: every state; 'refuse_a_corriger' is a draft refused, with its motif,
-- and 'brouillon' then only the others).
SELECT
    d.dossier_id,
    d.nom,
    d.finess_eg,
    coalesce(eg.nom_usage, eg.nom) AS etablissement,
    eg.departement,
    d.statut,
    d.date_effet,
    d.created_at,
    d.sent_at,
    d.decided_at,
    d.motif_refus,
    (SELECT count(*) FROM dossier_fiche f WHERE f.dossier_id = d.dossier_id) AS fiches,
    (SELECT count(*) FROM dossier_fiche f WHERE f.dossier_id = d.dossier_id AND f.finalise) AS finalisees
FROM dossier d
JOIN eg USING (finess_eg)
WHERE ($departements IS NULL OR list_contains($departements, eg.departement))
  AND ($finess_eg IS NULL OR list_contains($finess_eg, d.finess_eg))
  AND ($statuts IS NULL OR list_contains($statuts,
      CASE WHEN d.statut = 'brouillon' AND d.motif_refus IS NOT NULL THEN 'refuse_a_corriger' ELSE d.statut END))
ORDER BY greatest(d.created_at, coalesce(d.sent_at, d.created_at), coalesce(d.decided_at, d.created_at)) DESC,
    d.dossier_id DESC
