-- The activités and aptitudes of the UO in the temporary table uo_selection (for the search's filters).
-- Returns: uo_id, system, code. No params.
SELECT c.uo_id, c.system, c.code
FROM uo_code c
SEMI JOIN uo_selection s USING (uo_id)
WHERE c.system IN ('TRE_R211', 'APTITUDE_ROR_IF')
