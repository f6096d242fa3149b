-- The organisation interne of one EG, where a unit may sit: oi_id, chemin (« PÔLE … › SERVICE … › UF … »), in the
-- order of the tree. Params: $finess_eg.
SELECT oi_id, chemin FROM oi_chemin WHERE finess_eg = $finess_eg ORDER BY chemin, oi_id
