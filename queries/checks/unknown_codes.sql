-- Codes used by the répertoire that are not in their nomenclature. Returns: identifiant, libelle.
SELECT 'UO ' || CAST(uo_id AS VARCHAR) AS identifiant, system || ' ' || code || ' (' || what || ')' AS libelle
FROM (
    SELECT uo_id, 'TRE_R244' AS system, type_code AS code, 'type d''UO' AS what FROM uo
    UNION ALL SELECT uo_id, 'TRE_R227', champ_code, 'champ d''activité' FROM uo
    UNION ALL SELECT uo_id, 'TRE_R213', mode_pec_code, 'mode de prise en charge' FROM uo WHERE mode_pec_code IS NOT NULL
    UNION ALL SELECT uo_id, 'TRE_R240', temporalite_code, 'temporalité' FROM uo WHERE temporalite_code IS NOT NULL
    UNION ALL SELECT uo_id, system, code, 'liste de codes' FROM uo_code
) AS used
ANTI JOIN nomenclature USING (system, code)
UNION ALL
SELECT 'EG ' || finess_eg, 'TRE_R66 ' || categorie_code || ' (catégorie)'
FROM eg
WHERE categorie_code IS NOT NULL
  AND categorie_code NOT IN (SELECT code FROM nomenclature WHERE system = 'TRE_R66')
ORDER BY 1
