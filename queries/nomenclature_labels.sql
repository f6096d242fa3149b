-- The labels of some code lists. Returns: system, code, libelle, libelle_court. Params: $systems (VARCHAR[]).
SELECT system, code, libelle, libelle_court
FROM nomenclature
WHERE list_contains($systems, system)
ORDER BY system, libelle
