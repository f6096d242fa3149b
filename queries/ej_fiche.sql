-- The fiche of one EJ. Returns one row (none if the EJ does not exist): the ej columns and the departement's
-- name. Params: $finess_ej.
SELECT ej.*, d.nom AS departement_nom
FROM ej
LEFT JOIN departement d ON d.code = ej.departement
WHERE ej.finess_ej = $finess_ej
