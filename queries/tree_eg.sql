-- The EG of one EJ in the tree: those of the territory carrying an active UO of the chosen domains.
-- Returns: finess_eg, nom, commune, departement, uo (count under the filters). Params: $finess_ej,
-- $domaines (VARCHAR[]), $departements (VARCHAR[] or NULL).
SELECT eg.finess_eg, coalesce(eg.nom_usage, eg.nom) AS nom, c.nom AS commune, eg.departement, count(*) AS uo
FROM eg
JOIN uo USING (finess_eg)
LEFT JOIN commune c ON c.code_insee = eg.commune_insee
WHERE eg.finess_ej = $finess_ej AND uo.statut = 'active' AND list_contains($domaines, uo.discipline)
  AND ($departements IS NULL OR list_contains($departements, eg.departement))
GROUP BY ALL
ORDER BY nom, eg.finess_eg
