-- The EG of one EJ, for its fiche. Returns: finess_eg, nom, commune, departement, categorie (label), uo
-- (active UO). Params: $finess_ej.
SELECT eg.finess_eg, coalesce(eg.nom_usage, eg.nom) AS nom, c.nom AS commune, eg.departement,
    coalesce(cat.libelle, eg.categorie_code) AS categorie, count(uo.uo_id) FILTER (WHERE uo.statut = 'active') AS uo
FROM eg
LEFT JOIN uo USING (finess_eg)
LEFT JOIN commune c ON c.code_insee = eg.commune_insee
LEFT JOIN nomenclature cat ON cat.system = 'TRE_R66' AND cat.code = eg.categorie_code
WHERE eg.finess_ej = $finess_ej
GROUP BY ALL
ORDER BY nom, eg.finess_eg
