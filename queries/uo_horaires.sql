-- The semaine type of one UO: its opening slots. Returns: jour (1 = lundi), debut_min, fin_min (may exceed
-- 1440: past midnight). Params: $uo_id.
SELECT jour, debut_min, fin_min
FROM horaire
WHERE uo_id = $uo_id
ORDER BY jour, debut_min
