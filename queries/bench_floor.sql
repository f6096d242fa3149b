-- The floor of a search (bench/engine.py): the least any engine must do for it — one scan of the search index
-- within the radius, the text test of one term, the distance, the ten nearest. Not used by the app.
-- Returns: uo_id, distance_km (the ten nearest). Params: $term (normalised, or NULL), $lat, $lon, $rayon (km or NULL).
SELECT uo_id, distance_km($lat, $lon, lat, lon) AS distance_km
FROM recherche_uo
WHERE statut = 'active'
  AND ($term IS NULL OR contains(texte_uo, $term) OR contains(texte_eg, $term))
  AND ($rayon IS NULL OR distance_km($lat, $lon, lat, lon) <= $rayon)
ORDER BY distance_km
LIMIT 10
