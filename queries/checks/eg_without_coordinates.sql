-- EG with no coordinates, or coordinates outside metropolitan France. Returns: identifiant, libelle.
SELECT finess_eg AS identifiant, nom AS libelle
FROM eg
WHERE lat IS NULL OR lon IS NULL OR NOT (lat BETWEEN 41 AND 51.5 AND lon BETWEEN -5.5 AND 10.5)
ORDER BY 1
