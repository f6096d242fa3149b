-- The EJ of an export of the published offer: those of the scope (or, with $since, those changed in
-- ]$since, $until]). Params: $departements (list or NULL), $finess_ej (or NULL), $since, $until (or NULL).
SELECT ej.finess_ej, ej.raison_sociale, ej.statut_juridique, ej.departement, ej.updated_at
FROM ej
WHERE ($finess_ej IS NULL OR ej.finess_ej = $finess_ej)
  AND ($departements IS NULL OR EXISTS (
        SELECT 1 FROM eg WHERE eg.finess_ej = ej.finess_ej AND list_contains($departements, eg.departement)))
  AND ($since IS NULL OR (ej.updated_at > $since AND ej.updated_at <= $until))
ORDER BY ej.finess_ej
