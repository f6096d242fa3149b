-- The départements of the tree ("Afficher par département"), with the EJ, EG and active UO of the chosen
-- domains each holds. Returns: code, nom, ej, eg, uo. Params: $domaines (VARCHAR[]), $departements
-- (VARCHAR[] or NULL: all).
SELECT d.code, d.nom, count(DISTINCT eg.finess_ej) AS ej, count(DISTINCT eg.finess_eg) AS eg, count(*) AS uo
FROM uo
JOIN eg USING (finess_eg)
JOIN departement d ON d.code = eg.departement
WHERE uo.statut = 'active' AND list_contains($domaines, uo.discipline)
  AND ($departements IS NULL OR list_contains($departements, eg.departement))
GROUP BY d.code, d.nom
ORDER BY d.code
