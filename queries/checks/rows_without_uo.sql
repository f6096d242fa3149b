-- Code lists, opening hours and closing periods that belong to no UO. Returns: identifiant, libelle.
SELECT 'UO ' || CAST(uo_id AS VARCHAR) AS identifiant, count(*) || ' ligne(s) de ' || what AS libelle
FROM (
    SELECT uo_id, 'listes de codes' AS what FROM uo_code
    UNION ALL SELECT uo_id, 'semaine type' FROM horaire
    UNION ALL SELECT uo_id, 'fermetures' FROM fermeture
) AS attached
WHERE uo_id NOT IN (SELECT uo_id FROM uo)
GROUP BY uo_id, what
ORDER BY 1
