-- The published offer of a scope by grand groupe de discipline (MCO, SMR, PSY, SLD, MSS).
-- Returns: discipline, eg (EG with at least one UO of it), uo, lits, places.
-- Parameters: $departements (list or NULL for all), $finess_eg (list or NULL for all).
SELECT
    uo.discipline,
    count(DISTINCT uo.finess_eg) AS eg,
    count(*) AS uo,
    CAST(coalesce(sum(uo.lits), 0) AS BIGINT) AS lits,
    CAST(coalesce(sum(uo.places), 0) AS BIGINT) AS places
FROM uo
JOIN eg USING (finess_eg)
WHERE uo.statut = 'active'
  AND ($departements IS NULL OR list_contains($departements, eg.departement))
  AND ($finess_eg IS NULL OR list_contains($finess_eg, eg.finess_eg))
GROUP BY uo.discipline
