-- The EG of an export of the published offer, with labels: those of the scope (or, with $since, those changed
-- in ]$since, $until]). Params: $departements (list or NULL), $finess_ej (or NULL), $since, $until (or NULL).
SELECT
    eg.finess_eg, eg.finess_ej, eg.nom, eg.nom_usage, eg.categorie_code, cat.libelle AS categorie_libelle,
    eg.numero_voie, eg.type_voie, eg.voie, eg.complement, eg.code_postal, eg.commune_insee, c.nom AS commune,
    eg.departement, eg.lat, eg.lon, eg.coord_source, eg.telephone, eg.email, eg.siret, eg.date_ouverture,
    eg.updated_at
FROM eg
LEFT JOIN commune c ON c.code_insee = eg.commune_insee
LEFT JOIN nomenclature cat ON cat.system = 'TRE_R66' AND cat.code = eg.categorie_code
WHERE ($finess_ej IS NULL OR eg.finess_ej = $finess_ej)
  AND ($departements IS NULL OR list_contains($departements, eg.departement))
  AND ($since IS NULL OR (eg.updated_at > $since AND eg.updated_at <= $until))
ORDER BY eg.finess_eg
