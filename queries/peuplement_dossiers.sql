-- The peuplement dossiers of some establishments not yet published (the directeur's home page): dossier_id, nom,
-- statut, finess_eg, eg_nom, fiches (EG and UO fiches), finalisees, motif_refus. Parameters: $finess_eg (list),
-- $etats_ouverts (ror.dossiers.OPEN_STATES).
SELECT d.dossier_id, d.nom, d.statut, d.finess_eg, coalesce(e.nom_usage, e.nom) AS eg_nom,
       count(f.fiche_id) AS fiches, count(f.fiche_id) FILTER (WHERE f.finalise) AS finalisees, d.motif_refus
FROM dossier d
JOIN eg e USING (finess_eg)
LEFT JOIN dossier_fiche f USING (dossier_id)
WHERE d.peuplement AND list_contains($finess_eg, d.finess_eg) AND list_contains($etats_ouverts, d.statut)
GROUP BY ALL
ORDER BY d.dossier_id
