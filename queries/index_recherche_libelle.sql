-- Fills recherche_libelle (data/migrations/004, 009): the labels of the code lists a UO is searched by, with
-- their weight in the pertinence score and the active UO carrying them (their number and their uo_id).
-- No params; run by ror/recherche/search_index.py.
INSERT INTO recherche_libelle
WITH usage AS (
    SELECT c.system, c.code, list(uo_id) AS uo_ids
    FROM uo_code c
    JOIN uo u USING (uo_id)
    WHERE u.statut = 'active'
    GROUP BY ALL
    UNION ALL
    SELECT 'TRE_R244', type_code, list(uo_id)
    FROM uo
    WHERE statut = 'active'
    GROUP BY ALL
)
SELECT n.system, n.code, n.libelle, texte_normalise(n.libelle),
    CASE WHEN n.system IN ('TRE_R244', 'TRE_R211') THEN 1.5 ELSE 1.0 END,
    coalesce(len(u.uo_ids), 0), coalesce(u.uo_ids, [])
FROM nomenclature n
LEFT JOIN usage u USING (system, code)
WHERE n.system IN ('TRE_R244', 'TRE_R211', 'APTITUDE_ROR_IF', 'TRE_R245', 'TRE_R243', 'JDV_J186')
