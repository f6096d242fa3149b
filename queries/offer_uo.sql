-- The UO of an export of the published offer, with labels and their code lists: those of the scope (or, with
-- $since, those changed in ]$since, $until]; a closed UO is exported with statut 'fermee').
-- Params: $departements (list or NULL), $finess_ej (or NULL), $since, $until (or NULL).
-- codes: a list of {system, code, libelle}; horaires: a list of {jour, debut_min, fin_min};
-- fermetures: a list of {date_debut, date_fin, motif, reouverture_prevue}; oi_chemin: its organisation interne.
SELECT
    u.uo_id, u.finess_eg, eg.finess_ej, u.nom, u.type_code, t.libelle AS type_libelle, u.champ_code,
    ch.libelle AS champ_libelle, u.discipline, u.mode_pec_code, m.libelle AS mode_pec_libelle, u.temporalite_code,
    tp.libelle AS temporalite_libelle, u.telephone, u.email, u.responsable_nom, u.public_enfants, u.public_adultes,
    u.age_min, u.age_max, u.lits, u.places, u.horaires_renseignes, u.statut, u.updated_at, ch.chemin AS oi_chemin,
    coalesce((SELECT list({'system': k.system, 'code': k.code, 'libelle': coalesce(n.libelle, k.code)}
                          ORDER BY k.system, k.code)
              FROM uo_code k LEFT JOIN nomenclature n USING (system, code) WHERE k.uo_id = u.uo_id), []) AS codes,
    coalesce((SELECT list({'jour': h.jour, 'debut_min': h.debut_min, 'fin_min': h.fin_min}
                          ORDER BY h.jour, h.debut_min)
              FROM horaire h WHERE h.uo_id = u.uo_id), []) AS horaires,
    coalesce((SELECT list({'date_debut': f.date_debut, 'date_fin': f.date_fin, 'motif': f.motif,
                           'reouverture_prevue': f.reouverture_prevue} ORDER BY f.date_debut)
              FROM fermeture f WHERE f.uo_id = u.uo_id), []) AS fermetures
FROM uo u
JOIN eg USING (finess_eg)
LEFT JOIN oi_chemin ch ON ch.oi_id = u.oi_id
LEFT JOIN nomenclature t ON t.system = 'TRE_R244' AND t.code = u.type_code
LEFT JOIN nomenclature ch ON ch.system = 'TRE_R227' AND ch.code = u.champ_code
LEFT JOIN nomenclature m ON m.system = 'TRE_R213' AND m.code = u.mode_pec_code
LEFT JOIN nomenclature tp ON tp.system = 'TRE_R240' AND tp.code = u.temporalite_code
WHERE ($finess_ej IS NULL OR eg.finess_ej = $finess_ej)
  AND ($departements IS NULL OR list_contains($departements, eg.departement))
  AND ($since IS NULL OR (u.updated_at > $since AND u.updated_at <= $until))
ORDER BY u.finess_eg, u.uo_id
