-- The establishments a directeur or référent may open a dossier for, by name: finess_eg, nom (nom d'usage or
-- raison sociale), dossier_en_cours (the open dossier's id, NULL if none). Params: $finess_eg (VARCHAR[]),
-- $etats_ouverts (VARCHAR[]: ror.dossiers.OPEN_STATES).
SELECT
    eg.finess_eg,
    coalesce(eg.nom_usage, eg.nom) AS nom,
    (
        SELECT max(d.dossier_id) FROM dossier d
        WHERE d.finess_eg = eg.finess_eg AND list_contains($etats_ouverts, d.statut)
    ) AS dossier_en_cours
FROM eg
WHERE list_contains($finess_eg, eg.finess_eg)
ORDER BY nom, eg.finess_eg
