-- Everything the fiche of one UO shows about the unit, its EG and its EJ, with labels instead of codes.
-- Returns one row (none if the UO does not exist): oi_chemin is its place in the organisation interne (« PÔLE … ›
-- SERVICE … › UF … »). Params: $uo_id.
SELECT
    u.*,
    t.libelle AS type_libelle,
    ch.libelle AS champ_libelle,
    m.libelle AS mode_pec_libelle,
    tp.libelle AS temporalite_libelle,
    ch.chemin AS oi_chemin,
    coalesce(eg.nom_usage, eg.nom) AS eg_nom,
    eg.nom AS eg_raison_sociale,
    concat_ws(' ', eg.numero_voie, eg.type_voie, eg.voie) AS eg_adresse,
    eg.complement AS eg_complement,
    eg.code_postal AS eg_code_postal,
    z.zone AS eg_commune,
    eg.departement AS eg_departement,
    eg.telephone AS eg_telephone,
    eg.email AS eg_email,
    eg.lat AS eg_lat,
    eg.lon AS eg_lon,
    cat.libelle AS eg_categorie,
    ej.finess_ej,
    ej.raison_sociale AS ej_raison_sociale,
    ej.statut_juridique AS ej_statut_juridique
FROM uo u
JOIN eg USING (finess_eg)
LEFT JOIN ej ON ej.finess_ej = eg.finess_ej
LEFT JOIN eg_zone z ON z.finess_eg = eg.finess_eg
LEFT JOIN oi_chemin ch ON ch.oi_id = u.oi_id
LEFT JOIN nomenclature t ON t.system = 'TRE_R244' AND t.code = u.type_code
LEFT JOIN nomenclature ch ON ch.system = 'TRE_R227' AND ch.code = u.champ_code
LEFT JOIN nomenclature m ON m.system = 'TRE_R213' AND m.code = u.mode_pec_code
LEFT JOIN nomenclature tp ON tp.system = 'TRE_R240' AND tp.code = u.temporalite_code
LEFT JOIN nomenclature cat ON cat.system = 'TRE_R66' AND cat.code = eg.categorie_code
WHERE u.uo_id = $uo_id
