-- The active UO with what the Qualité page checks (ror/territoire/quality.py). Returns: uo_id, finess_eg,
-- departement, nom, type_code, discipline, telephone, email, responsable_nom, responsable_fonction,
-- responsable_telephone, responsable_email,
-- public_enfants, public_adultes, age_min, horaires (semaine type filled: not "non renseignés" and at least one
-- slot), activites, specialisations, publics (how many codes of each list), updated_at, updated_by, and what its
-- name must say (ror/dossiers/naming.UnitKind): type_libelle, mode_pec_code, mode_libelle, temporalite_libelle.
-- Parameters: $finess_eg (list: the units of these EG, after a write; NULL: the whole répertoire).
WITH written AS (SELECT uo_id FROM uo WHERE list_contains($finess_eg, finess_eg)),  -- (after a write)
codes AS (
    SELECT
        uo_id,
        count(*) FILTER (WHERE system = 'TRE_R211') AS activites,
        count(*) FILTER (WHERE system = 'TRE_R245') AS specialisations,
        count(*) FILTER (WHERE system = 'TRE_R239') AS publics
    FROM uo_code
    WHERE $finess_eg IS NULL OR uo_id IN (SELECT uo_id FROM written)
    GROUP BY uo_id
),
slots AS (SELECT uo_id FROM horaire WHERE $finess_eg IS NULL OR uo_id IN (SELECT uo_id FROM written) GROUP BY uo_id)
SELECT
    u.uo_id, u.finess_eg, e.departement, u.nom, u.type_code, u.discipline, u.telephone, u.email,
    u.responsable_nom, u.responsable_fonction, u.responsable_telephone, u.responsable_email,
    u.public_enfants, u.public_adultes, u.age_min,
    u.horaires_renseignes AND s.uo_id IS NOT NULL AS horaires,
    coalesce(c.activites, 0) AS activites, coalesce(c.specialisations, 0) AS specialisations,
    coalesce(c.publics, 0) AS publics,
    u.updated_at, u.updated_by,
    t.libelle AS type_libelle, u.mode_pec_code, m.libelle AS mode_libelle, tp.libelle AS temporalite_libelle
FROM uo u
JOIN eg e USING (finess_eg)
LEFT JOIN codes c USING (uo_id)
LEFT JOIN slots s USING (uo_id)
LEFT JOIN nomenclature t ON t.system = 'TRE_R244' AND t.code = u.type_code
LEFT JOIN nomenclature m ON m.system = 'TRE_R213' AND m.code = u.mode_pec_code
LEFT JOIN nomenclature tp ON tp.system = 'TRE_R240' AND tp.code = u.temporalite_code
WHERE u.statut = 'active' AND ($finess_eg IS NULL OR list_contains($finess_eg, u.finess_eg))
ORDER BY e.departement, u.finess_eg, u.uo_id
