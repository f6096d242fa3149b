-- The EG of a territory with what the Qualité page checks (ror/territoire/quality.py). Returns: finess_eg, finess_ej,
-- ej_nom, nom, nom_usage, departement, voie, code_postal, commune_insee, telephone, email, mail_alerte,
-- directeur_nom, directeur_telephone, directeur_email, geolocalise (precise coordinates), updated_at,
-- updated_by, dossier_ouvert (a dossier collaboratif not yet published), uo_smr (its active SMR units).
-- Parameters: $departements (list, or NULL for the whole répertoire), $etats_ouverts (ror.dossiers.OPEN_STATES).
SELECT
    e.finess_eg, e.finess_ej, j.raison_sociale AS ej_nom, e.nom, e.nom_usage, e.departement,
    e.voie, e.code_postal, e.commune_insee, e.telephone, e.email, e.mail_alerte,
    e.directeur_nom, e.directeur_telephone, e.directeur_email,
    e.lat IS NOT NULL AND e.lon IS NOT NULL AND coalesce(e.coord_source, '') <> 'commune' AS geolocalise,
    e.updated_at, e.updated_by,
    EXISTS (
        SELECT 1 FROM dossier d
        WHERE d.finess_eg = e.finess_eg AND list_contains($etats_ouverts, d.statut)
    ) AS dossier_ouvert,
    (SELECT count(*) FROM uo WHERE uo.finess_eg = e.finess_eg AND uo.statut = 'active' AND uo.discipline = 'SMR')
        AS uo_smr
FROM eg e
LEFT JOIN ej j USING (finess_ej)
WHERE $departements IS NULL OR list_contains($departements, e.departement)
ORDER BY e.departement, e.finess_eg
