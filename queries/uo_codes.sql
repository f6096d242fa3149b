-- The code lists of one UO (activités, aptitudes, spécialisations …) with their labels.
-- Returns: system, code, libelle (the code itself when it is not in the nomenclature). Params: $uo_id.
SELECT c.system, c.code, coalesce(n.libelle, c.code) AS libelle
FROM uo_code c
LEFT JOIN nomenclature n USING (system, code)
WHERE c.uo_id = $uo_id
ORDER BY c.system, libelle
