-- What the tree's text filter finds (EJ by raison sociale or FINESS, EG by name or FINESS, UO by name), each
-- with its path from the EJ, under the domain and territory filters; reads the search index (migration 004), and
-- the EG without any active UO (to populate: not in that index), whatever the domains.
-- Returns: kind ('ej' / 'eg' / 'uo'), finess_ej, finess_eg (NULL for an EJ), oi_path (the OI above a UO,
-- from the top), uo_id (NULL but for a UO). Params: $texte (normalised, 3 characters or more), $domaines
-- (VARCHAR[]), $departements (VARCHAR[] or NULL), $limite.
WITH units AS (
    SELECT uo_id, finess_eg, finess_ej, oi_id, texte_uo, texte_eg, texte_ej
    FROM recherche_uo
    WHERE statut = 'active' AND list_contains($domaines, discipline)
      AND ($departements IS NULL OR list_contains($departements, departement))
),
empty AS (
    SELECT eg.finess_eg, eg.finess_ej,
        ' ' || texte_normalise(eg.nom || ' ' || coalesce(eg.nom_usage, '')) || ' ' AS texte_eg,
        ' ' || texte_normalise(coalesce(ej.raison_sociale, '')) || ' ' AS texte_ej
    FROM eg
    LEFT JOIN ej USING (finess_ej)
    WHERE NOT EXISTS (SELECT 1 FROM uo WHERE uo.finess_eg = eg.finess_eg AND uo.statut = 'active')
      AND ($departements IS NULL OR list_contains($departements, eg.departement))
),
establishments AS (
    SELECT finess_ej, finess_eg, texte_eg, texte_ej FROM units
    UNION ALL
    SELECT finess_ej, finess_eg, texte_eg, texte_ej FROM empty
),
found AS (
    SELECT DISTINCT 'ej' AS kind, finess_ej, NULL AS finess_eg, NULL::BIGINT AS oi_id, NULL::BIGINT AS uo_id
    FROM establishments
    WHERE contains(texte_ej, $texte) OR finess_ej = $texte
    UNION ALL
    SELECT DISTINCT 'eg', finess_ej, finess_eg, NULL, NULL
    FROM establishments
    WHERE contains(texte_eg, $texte) OR finess_eg = $texte
    UNION ALL
    SELECT 'uo', finess_ej, finess_eg, oi_id, uo_id
    FROM units
    WHERE contains(texte_uo, $texte)
)
SELECT f.kind, f.finess_ej, f.finess_eg,
    list_filter([o3.oi_id, o2.oi_id, o1.oi_id], lambda x: x IS NOT NULL) AS oi_path,
    f.uo_id
FROM found f
LEFT JOIN oi o1 ON o1.oi_id = f.oi_id
LEFT JOIN oi o2 ON o2.oi_id = o1.parent_oi_id
LEFT JOIN oi o3 ON o3.oi_id = o2.parent_oi_id
ORDER BY f.kind, f.finess_ej, f.finess_eg, f.uo_id
LIMIT $limite
