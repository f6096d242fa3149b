-- The published offer of a scope by département. Returns: departement, nom, ej, eg, uo, lits, places.
-- Parameters: $departements (list or NULL for all), $finess_eg (list or NULL for all).
WITH scoped_eg AS (
    SELECT finess_eg, finess_ej, departement
    FROM eg
    WHERE ($departements IS NULL OR list_contains($departements, eg.departement))
      AND ($finess_eg IS NULL OR list_contains($finess_eg, eg.finess_eg))
),
units AS (
    SELECT finess_eg, count(*) AS uo, sum(lits) AS lits, sum(places) AS places
    FROM uo
    WHERE statut = 'active'
    GROUP BY finess_eg
)
SELECT
    s.departement,
    d.nom,
    count(DISTINCT s.finess_ej) AS ej,
    count(*) AS eg,
    CAST(coalesce(sum(u.uo), 0) AS BIGINT) AS uo,
    CAST(coalesce(sum(u.lits), 0) AS BIGINT) AS lits,
    CAST(coalesce(sum(u.places), 0) AS BIGINT) AS places
FROM scoped_eg s
LEFT JOIN units u USING (finess_eg)
LEFT JOIN departement d ON d.code = s.departement
GROUP BY s.departement, d.nom
ORDER BY s.departement
