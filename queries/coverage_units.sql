-- The active UO of an offer, where they are: one row per UO. Returns: uo_id, nom, type_code, lits, places,
-- finess_eg, eg_nom, commune_insee, commune (in Paris: the code and name of the arrondissement, as the origins of
-- coverage_communes), departement, lat, lon, population (of the EG's commune).
-- Parameters (NULL: any): $discipline (MCO, SMR …), $type_code (TRE_R244), $activite (TRE_R211),
-- $public ('enfants' or 'adultes').
SELECT
    u.uo_id, u.nom, u.type_code, u.lits, u.places,
    e.finess_eg, coalesce(e.nom_usage, e.nom) AS eg_nom, z.zone_insee AS commune_insee, z.zone AS commune, e.departement,
    e.lat, e.lon, c.population
FROM uo u
JOIN eg e USING (finess_eg)
LEFT JOIN commune c ON c.code_insee = e.commune_insee
LEFT JOIN eg_zone z ON z.finess_eg = e.finess_eg
WHERE u.statut = 'active'
  AND e.lat IS NOT NULL
  AND ($discipline IS NULL OR u.discipline = $discipline)
  AND ($type_code IS NULL OR u.type_code = $type_code)
  AND ($activite IS NULL OR EXISTS (
        SELECT 1 FROM uo_code k WHERE k.uo_id = u.uo_id AND k.system = 'TRE_R211' AND k.code = $activite))
  AND ($public IS NULL OR ($public = 'enfants' AND u.public_enfants) OR ($public = 'adultes' AND u.public_adultes))
ORDER BY e.finess_eg, u.nom, u.uo_id
