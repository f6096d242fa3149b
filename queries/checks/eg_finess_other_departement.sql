-- EG whose FINESS géographique does not begin with their département (the rule of ror/finess.prefix_matches:
-- '97' or '98' for the overseas ones). Returns: identifiant, libelle.
SELECT finess_eg AS identifiant,
       nom || ' : FINESS en « ' || left(finess_eg, 2) || ' », établissement du ' || departement AS libelle
FROM eg
WHERE left(finess_eg, 2) <> CASE WHEN left(departement, 2) IN ('97', '98') THEN left(departement, 2) ELSE departement END
ORDER BY 1
