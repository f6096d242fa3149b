-- The EJ of the tree: those with at least one EG of the territory carrying an active UO of the chosen domains, or
-- without any active UO (an EG to populate, shown whatever the domains), by name, one page at a time. Returns:
-- finess_ej, raison_sociale, departement, eg, uo (counts under the filters), total (EJ in all pages). Params:
-- $domaines (VARCHAR[]: MCO, SMR, PSY, SLD, MSS), $departements (VARCHAR[] or NULL: everywhere), $finess_ej
-- (VARCHAR[] or NULL: no restriction), $limite, $decalage.
WITH uo_in AS (
    SELECT finess_eg, count(*) AS uo
    FROM uo
    WHERE statut = 'active' AND list_contains($domaines, discipline)
    GROUP BY finess_eg
),
with_units AS (
    SELECT DISTINCT finess_eg FROM uo WHERE statut = 'active'
),
eg_in AS (
    SELECT eg.finess_ej, count(*) AS eg, coalesce(sum(u.uo), 0)::BIGINT AS uo
    FROM eg
    LEFT JOIN uo_in u ON u.finess_eg = eg.finess_eg
    LEFT JOIN with_units w ON w.finess_eg = eg.finess_eg
    WHERE (u.finess_eg IS NOT NULL OR w.finess_eg IS NULL)
      AND ($departements IS NULL OR list_contains($departements, eg.departement))
    GROUP BY eg.finess_ej
)
SELECT ej.finess_ej, ej.raison_sociale, ej.departement, e.eg, e.uo, count(*) OVER () AS total
FROM ej
JOIN eg_in e USING (finess_ej)
WHERE $finess_ej IS NULL OR list_contains($finess_ej, ej.finess_ej)
ORDER BY ej.raison_sociale, ej.finess_ej
LIMIT $limite OFFSET $decalage
