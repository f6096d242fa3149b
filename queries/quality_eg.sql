-- The EG with what the Qualité page checks (ror/territoire/quality.py). Returns: finess_eg, finess_ej,
-- ej_nom, nom, nom_usage, departement, voie, code_postal, commune_insee, telephone, email, mail_alerte,
-- directeur_nom, directeur_telephone, directeur_email, geolocalise (precise coordinates), updated_at,
-- updated_by, uo_smr (its active SMR units), categorie (TRE_R66 label), commune (its name; in Paris, the
-- arrondissement).
-- Parameters: $finess_eg (list: these EG, after a write; NULL: the whole répertoire).
WITH smr AS (
    SELECT finess_eg, count(*) AS uo_smr FROM uo
    WHERE statut = 'active' AND discipline = 'SMR' AND ($finess_eg IS NULL OR list_contains($finess_eg, finess_eg))
    GROUP BY finess_eg
),
zone AS (SELECT * FROM eg_zone WHERE $finess_eg IS NULL OR list_contains($finess_eg, finess_eg))
SELECT
    e.finess_eg, e.finess_ej, j.raison_sociale AS ej_nom, e.nom, e.nom_usage, e.departement,
    e.voie, e.code_postal, e.commune_insee, e.telephone, e.email, e.mail_alerte,
    e.directeur_nom, e.directeur_telephone, e.directeur_email,
    e.lat IS NOT NULL AND e.lon IS NOT NULL
        AND coalesce(e.coord_source, '') NOT IN ('commune', 'arrondissement') AS geolocalise,
    e.updated_at, e.updated_by,
    coalesce(s.uo_smr, 0) AS uo_smr,
    cat.libelle AS categorie, z.zone AS commune
FROM eg e
LEFT JOIN ej j USING (finess_ej)
LEFT JOIN smr s ON s.finess_eg = e.finess_eg
LEFT JOIN nomenclature cat ON cat.system = 'TRE_R66' AND cat.code = e.categorie_code
LEFT JOIN zone z ON z.finess_eg = e.finess_eg
WHERE $finess_eg IS NULL OR list_contains($finess_eg, e.finess_eg)
ORDER BY e.departement, e.finess_eg
