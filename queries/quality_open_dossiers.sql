-- The EG with a dossier collaboratif not yet published (the SMR campaign counts them « en cours »; read at every review:
-- opening a dossier is not a data version). Returns: finess_eg. Parameters: $etats_ouverts (ror.dossiers.OPEN_STATES).
SELECT DISTINCT finess_eg FROM dossier WHERE list_contains($etats_ouverts, statut)
