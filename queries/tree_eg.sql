-- The EG of one EJ in the tree: those of the territory carrying an active UO of the chosen domains, or without any
-- active UO (to populate, shown whatever the domains). Returns: finess_eg, nom, commune, departement, uo (count
-- under the filters). Params: $finess_ej, $domaines (VARCHAR[]), $departements (VARCHAR[] or NULL).
WITH units AS (
    SELECT uo.finess_eg, count(*) AS actives, count(*) FILTER (WHERE list_contains($domaines, uo.discipline)) AS uo
    FROM uo JOIN eg USING (finess_eg)
    WHERE eg.finess_ej = $finess_ej AND uo.statut = 'active'
    GROUP BY uo.finess_eg
)
SELECT eg.finess_eg, coalesce(eg.nom_usage, eg.nom) AS nom, c.nom AS commune, eg.departement,
    coalesce(u.uo, 0) AS uo
FROM eg
LEFT JOIN units u ON u.finess_eg = eg.finess_eg
LEFT JOIN commune c ON c.code_insee = eg.commune_insee
WHERE eg.finess_ej = $finess_ej
  AND ($departements IS NULL OR list_contains($departements, eg.departement))
  AND (u.uo > 0 OR u.finess_eg IS NULL)
ORDER BY nom, eg.finess_eg
