-- The EG a directeur or référent may be attached to, as choices « FINESS – nom (commune) ». Returns finess_eg, label.
SELECT eg.finess_eg, eg.finess_eg || ' – ' || coalesce(eg.nom_usage, eg.nom) || coalesce(' (' || c.nom || ')', '') AS label
FROM eg LEFT JOIN commune c ON c.code_insee = eg.commune_insee
ORDER BY eg.finess_eg
