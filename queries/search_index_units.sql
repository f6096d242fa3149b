-- Every UO of the search index as the in-memory engine (ror/recherche/engine.py) keeps it, once per index version:
-- what the filters, counts, distance and opening status need. Sorted by uo_id.
-- Returns: uo_id, finess_eg, departement, discipline, type_code, mode_pec_code, temporalite_code, public_enfants,
-- public_adultes, age_min, age_max, activites, aptitudes (code lists), lat, lon, active, horaires_renseignes,
-- creneaux (jour, debut_min, fin_min), fermetures (date_debut, date_fin). No params.
SELECT uo_id, finess_eg, departement, discipline, type_code, mode_pec_code, temporalite_code,
    public_enfants, public_adultes, age_min, age_max, activites, aptitudes, lat, lon,
    statut = 'active' AS active, horaires_renseignes,
    list_transform(creneaux, lambda c: {'jour': c.jour, 'debut_min': c.debut_min, 'fin_min': c.fin_min}) AS creneaux,
    list_transform(fermetures, lambda f: {'date_debut': f.date_debut, 'date_fin': f.date_fin}) AS fermetures
FROM recherche_uo
ORDER BY uo_id
