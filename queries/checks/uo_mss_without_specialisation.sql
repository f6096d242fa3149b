-- Active médico-social UO with no spécialisation de prise en charge (TRE_R245). Returns: identifiant, libelle.
SELECT CAST(uo.uo_id AS VARCHAR) AS identifiant, uo.nom || ' (EG ' || uo.finess_eg || ')' AS libelle
FROM uo
WHERE uo.statut = 'active' AND uo.discipline = 'MSS'
  AND NOT EXISTS (SELECT 1 FROM uo_code c WHERE c.uo_id = uo.uo_id AND c.system = 'TRE_R245')
ORDER BY uo.uo_id
