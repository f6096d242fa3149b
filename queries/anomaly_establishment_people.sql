-- The active directeur and référent accounts to tell about a report: those of its EG, or for a report on
-- an EJ those of any EG of the EJ. Returns user_id. Params: $finess_eg (NULL for an EJ), $finess_ej.
SELECT DISTINCT u.user_id
FROM app_user u
JOIN user_eg ue USING (user_id)
JOIN eg USING (finess_eg)
WHERE u.actif
  AND (CASE WHEN $finess_eg IS NULL THEN eg.finess_ej = $finess_ej ELSE ue.finess_eg = $finess_eg END)
ORDER BY 1
