-- The peuplement of each département (ror/territoire/peuplement.py): departement, nom, phase, phase_depuis, eg (its
-- establishments), eg_peuples (with at least one active UO), eg_a_peupler (without), dossiers_ouverts (peuplement
-- dossiers not yet published), dossiers_publies. Parameters: $departements (list, or NULL for the whole territory),
-- $etats_ouverts (ror.dossiers.OPEN_STATES).
WITH units AS (
    SELECT finess_eg FROM uo WHERE statut = 'active' GROUP BY finess_eg
),
per_eg AS (
    SELECT e.departement, count(*) AS eg, count(u.finess_eg) AS eg_peuples
    FROM eg e LEFT JOIN units u USING (finess_eg)
    GROUP BY e.departement
),
dossiers AS (
    SELECT e.departement,
           count(*) FILTER (WHERE list_contains($etats_ouverts, d.statut)) AS dossiers_ouverts,
           count(*) FILTER (WHERE d.statut = 'publie') AS dossiers_publies
    FROM dossier d JOIN eg e USING (finess_eg)
    WHERE d.peuplement
    GROUP BY e.departement
)
SELECT
    t.code AS departement, t.nom, t.phase, t.phase_depuis,
    coalesce(p.eg, 0) AS eg, coalesce(p.eg_peuples, 0) AS eg_peuples,
    coalesce(p.eg, 0) - coalesce(p.eg_peuples, 0) AS eg_a_peupler,
    coalesce(d.dossiers_ouverts, 0) AS dossiers_ouverts, coalesce(d.dossiers_publies, 0) AS dossiers_publies
FROM departement t
LEFT JOIN per_eg p ON p.departement = t.code
LEFT JOIN dossiers d ON d.departement = t.code
WHERE $departements IS NULL OR list_contains($departements, t.code)
ORDER BY t.code
