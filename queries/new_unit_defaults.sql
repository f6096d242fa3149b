-- The champ d'activité and discipline of a new unit of type $type_code in dossier $dossier_id: the most usual for
-- that type in the répertoire; for a type nobody uses yet, those of the dossier's other units (to be checked on the
-- fiche); else NULL (the caller falls back on the médico-social champ). Returns: champ_code, discipline.
WITH usual AS (
    SELECT mode(champ_code) AS champ_code, mode(discipline) AS discipline FROM uo WHERE type_code = $type_code
),
siblings AS (
    SELECT min(json_extract_string(data, '$.champ_code')) AS champ_code,
           min(json_extract_string(data, '$.discipline')) AS discipline
    FROM dossier_fiche
    WHERE dossier_id = $dossier_id AND niveau = 'UO'
)
SELECT coalesce(usual.champ_code, siblings.champ_code) AS champ_code,
       coalesce(usual.discipline, siblings.discipline) AS discipline
FROM usual, siblings
