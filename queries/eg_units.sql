-- The UO of one EG (every statut), for its fiche. Returns: uo_id, nom, type (label), discipline, statut,
-- lits, places, telephone, oi (its organisation interne: « PÔLE … › SERVICE … › UF … »). Params: $finess_eg.
SELECT u.uo_id, u.nom, coalesce(t.libelle, u.type_code) AS type, u.discipline, u.statut, u.lits, u.places,
    u.telephone, ch.chemin AS oi
FROM uo u
LEFT JOIN oi_chemin ch ON ch.oi_id = u.oi_id
LEFT JOIN nomenclature t ON t.system = 'TRE_R244' AND t.code = u.type_code
WHERE u.finess_eg = $finess_eg
ORDER BY u.statut, u.nom, u.uo_id
