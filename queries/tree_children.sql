-- The children of an EG or of one of its OI in the tree: its OI (pôle, service, UF) then its active UO of the
-- chosen domains, each OI with the number of such UO beneath it. Returns: kind ('oi' / 'uo'), id, nom,
-- detail (OI level or type d'UO), discipline (UO), uo (count, OI). Params: $finess_eg, $oi_id (NULL: the EG
-- level), $domaines (VARCHAR[]).
WITH RECURSIVE under (root, oi_id) AS (
    SELECT oi_id, oi_id FROM oi WHERE finess_eg = $finess_eg
    UNION ALL
    SELECT u.root, o.oi_id FROM under u JOIN oi o ON o.parent_oi_id = u.oi_id
),
units AS (
    SELECT uo_id, oi_id, nom, type_code, discipline
    FROM uo
    WHERE finess_eg = $finess_eg AND statut = 'active' AND list_contains($domaines, discipline)
),
oi_counts AS (
    SELECT un.root AS oi_id, count(DISTINCT u.uo_id) AS uo
    FROM under un
    JOIN units u ON u.oi_id = un.oi_id
    GROUP BY un.root
)
SELECT 'oi' AS kind, o.oi_id AS id, o.nom, coalesce(n.libelle, o.type_code) AS detail, NULL AS discipline, c.uo
FROM oi o
JOIN oi_counts c USING (oi_id)
LEFT JOIN nomenclature n ON n.system = 'JDV_J203' AND n.code = o.type_code
WHERE o.finess_eg = $finess_eg AND o.parent_oi_id IS NOT DISTINCT FROM $oi_id
UNION ALL
SELECT 'uo', u.uo_id, u.nom, coalesce(t.libelle, u.type_code), u.discipline, NULL
FROM units u
LEFT JOIN nomenclature t ON t.system = 'TRE_R244' AND t.code = u.type_code
WHERE u.oi_id IS NOT DISTINCT FROM $oi_id
ORDER BY kind, nom, id
