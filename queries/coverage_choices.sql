-- What an offer can be made of: the types d'UO (TRE_R244) and activités (TRE_R211) of active UO, by
-- discipline. Returns: system, code, libelle, discipline, uo (how many active UO carry it in that discipline).
SELECT 'TRE_R244' AS system, u.type_code AS code, n.libelle, u.discipline, count(*) AS uo
FROM uo u
JOIN nomenclature n ON n.system = 'TRE_R244' AND n.code = u.type_code
WHERE u.statut = 'active'
GROUP BY ALL
UNION ALL
SELECT 'TRE_R211', k.code, n.libelle, u.discipline, count(*)
FROM uo u
JOIN uo_code k ON k.uo_id = u.uo_id AND k.system = 'TRE_R211'
JOIN nomenclature n ON n.system = 'TRE_R211' AND n.code = k.code
WHERE u.statut = 'active'
GROUP BY ALL
ORDER BY system, libelle, discipline
