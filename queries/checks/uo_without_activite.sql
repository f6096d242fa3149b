-- Active UO with no activité opérationnelle (TRE_R211). Returns: identifiant, libelle.
SELECT CAST(uo.uo_id AS VARCHAR) AS identifiant, uo.nom || ' (EG ' || uo.finess_eg || ')' AS libelle
FROM uo
WHERE uo.statut = 'active'
  AND NOT EXISTS (SELECT 1 FROM uo_code c WHERE c.uo_id = uo.uo_id AND c.system = 'TRE_R211')
ORDER BY uo.uo_id
