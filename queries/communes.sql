-- Every commune, by name, as a list to choose from: code_insee, libelle ('Nom (département)').
SELECT code_insee, nom || ' (' || departement || ')' AS libelle FROM commune ORDER BY nom, code_insee
