-- One dossier with its establishment: dossier_id, nom, statut, date_effet, motif_refus, version, created_at,
-- sent_at, decided_at, finess_eg, eg_nom, finess_ej, categorie_code, departement, createur, decideur.
-- Params: $dossier_id.
SELECT
    d.dossier_id, d.nom, d.statut, d.date_effet, d.motif_refus, d.version, d.created_at, d.sent_at, d.decided_at,
    d.finess_eg, eg.nom AS eg_nom, eg.finess_ej, eg.categorie_code, eg.departement,
    c.prenom || ' ' || c.nom AS createur,
    t.prenom || ' ' || t.nom AS decideur
FROM dossier d
JOIN eg USING (finess_eg)
LEFT JOIN app_user c ON c.user_id = d.created_by
LEFT JOIN app_user t ON t.user_id = d.decided_by
WHERE d.dossier_id = $dossier_id
