-- The départements of the tree ("Afficher par département"), with the EJ, EG and active UO of the chosen domains
-- each holds (an EG without any active UO, to populate, counts whatever the domains). Returns: code, nom, ej, eg,
-- uo. Params: $domaines (VARCHAR[]), $departements (VARCHAR[] or NULL: all).
WITH uo_in AS (
    SELECT finess_eg, count(*) AS uo
    FROM uo
    WHERE statut = 'active' AND list_contains($domaines, discipline)
    GROUP BY finess_eg
),
with_units AS (
    SELECT DISTINCT finess_eg FROM uo WHERE statut = 'active'
)
SELECT d.code, d.nom, count(DISTINCT eg.finess_ej) AS ej, count(*) AS eg, coalesce(sum(u.uo), 0)::BIGINT AS uo
FROM eg
JOIN departement d ON d.code = eg.departement
LEFT JOIN uo_in u ON u.finess_eg = eg.finess_eg
LEFT JOIN with_units w ON w.finess_eg = eg.finess_eg
WHERE (u.finess_eg IS NOT NULL OR w.finess_eg IS NULL)
  AND ($departements IS NULL OR list_contains($departements, eg.departement))
GROUP BY d.code, d.nom
ORDER BY d.code
