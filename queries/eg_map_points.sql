-- EG of a scope to draw on a map, with their main discipline (the one with the most active UO).
-- Returns: finess_eg, nom, commune (in Paris, the arrondissement), departement, lat, lon, discipline, uo, coord_source.
-- Parameters: $departements (list or NULL for all), $finess_eg (list or NULL for all).
WITH per_discipline AS (
    SELECT finess_eg, discipline, count(*) AS n
    FROM uo
    WHERE statut = 'active' AND ($finess_eg IS NULL OR list_contains($finess_eg, finess_eg))  -- (a fiche: its EG only)
    GROUP BY finess_eg, discipline
),
main AS (
    SELECT finess_eg, arg_max(discipline, n * 10 + CASE discipline WHEN 'MCO' THEN 5 WHEN 'SMR' THEN 4
           WHEN 'PSY' THEN 3 WHEN 'SLD' THEN 2 ELSE 1 END) AS discipline, sum(n) AS uo
    FROM per_discipline
    GROUP BY finess_eg
)
SELECT
    eg.finess_eg,
    coalesce(eg.nom_usage, eg.nom) AS nom,
    coalesce(z.zone, '') AS commune,
    eg.departement,
    eg.lat,
    eg.lon,
    main.discipline,
    coalesce(main.uo, 0) AS uo,
    eg.coord_source
FROM eg
LEFT JOIN main USING (finess_eg)
LEFT JOIN (SELECT * FROM eg_zone WHERE $finess_eg IS NULL OR list_contains($finess_eg, finess_eg)) z
    ON z.finess_eg = eg.finess_eg
WHERE eg.lat IS NOT NULL AND eg.lon IS NOT NULL
  AND ($departements IS NULL OR list_contains($departements, eg.departement))
  AND ($finess_eg IS NULL OR list_contains($finess_eg, eg.finess_eg))
ORDER BY eg.finess_eg
