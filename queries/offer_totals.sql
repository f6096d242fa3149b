-- Totals of the published offer in a scope. Returns one row: ej, eg, uo, lits, places.
-- Parameters: $departements (list or NULL for all), $finess_eg (list or NULL for all).
WITH scoped_eg AS (
    SELECT finess_eg, finess_ej
    FROM eg
    WHERE ($departements IS NULL OR list_contains($departements, eg.departement))
      AND ($finess_eg IS NULL OR list_contains($finess_eg, eg.finess_eg))
)
SELECT
    (SELECT count(DISTINCT finess_ej) FROM scoped_eg) AS ej,
    (SELECT count(*) FROM scoped_eg) AS eg,
    count(uo.uo_id) AS uo,
    CAST(coalesce(sum(uo.lits), 0) AS BIGINT) AS lits,
    CAST(coalesce(sum(uo.places), 0) AS BIGINT) AS places
FROM uo
JOIN scoped_eg USING (finess_eg)
WHERE uo.statut = 'active'
