-- EG with no active UO. Returns: identifiant, libelle. No parameters.
SELECT finess_eg AS identifiant, nom AS libelle
FROM eg
WHERE finess_eg NOT IN (SELECT finess_eg FROM uo WHERE statut = 'active')
ORDER BY 1
