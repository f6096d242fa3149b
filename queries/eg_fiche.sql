-- Everything the fiche of one EG shows, with labels instead of codes. Returns one row (none if the EG does
-- not exist): the eg columns, categorie (label), adresse, commune (in Paris, the arrondissement), ej_raison_sociale,
-- ej_statut_juridique.
-- Params: $finess_eg.
SELECT eg.*, coalesce(cat.libelle, eg.categorie_code) AS categorie,
    concat_ws(' ', eg.numero_voie, eg.type_voie, eg.voie) AS adresse, z.zone AS commune,
    ej.raison_sociale AS ej_raison_sociale, ej.statut_juridique AS ej_statut_juridique
FROM eg
LEFT JOIN ej USING (finess_ej)
LEFT JOIN eg_zone z ON z.finess_eg = eg.finess_eg
LEFT JOIN nomenclature cat ON cat.system = 'TRE_R66' AND cat.code = eg.categorie_code
WHERE eg.finess_eg = $finess_eg
