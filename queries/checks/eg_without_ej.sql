-- EG whose entité juridique does not exist. Returns: identifiant, libelle. No parameters.
SELECT eg.finess_eg AS identifiant, eg.nom || ' (EJ ' || eg.finess_ej || ')' AS libelle
FROM eg ANTI JOIN ej USING (finess_ej)
ORDER BY 1
