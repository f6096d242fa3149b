-- The fiches of one dossier, the EG first then its units by name: fiche_id, dossier_id, niveau, uo_id, action
-- (inchange, modifie, ajoute, ferme), finalise, nom, type_code, public_enfants, public_adultes, data (JSON
-- text), finess_eg (the dossier's EG). Params: $dossier_id.
SELECT
    fiche_id,
    dossier_id,
    niveau,
    uo_id,
    action,
    finalise,
    coalesce(data->>'nom', data->>'nom_usage', eg.nom) AS nom,
    data->>'type_code' AS type_code,
    (data->>'public_enfants')::BOOLEAN AS public_enfants,
    (data->>'public_adultes')::BOOLEAN AS public_adultes,
    dossier_fiche.data::VARCHAR AS data,
    dossier.finess_eg
FROM dossier_fiche
JOIN dossier USING (dossier_id)
JOIN eg USING (finess_eg)
WHERE dossier_id = $dossier_id
ORDER BY niveau = 'UO', nom, fiche_id
