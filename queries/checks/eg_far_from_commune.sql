-- EG placed more than 15 km from the centroid of their commune (a geocoding error). Returns: identifiant, libelle.
SELECT eg.finess_eg AS identifiant,
       eg.nom || ' : ' || CAST(round(distance_km, 1) AS VARCHAR) || ' km de ' || c.nom AS libelle
FROM eg
JOIN commune c ON c.code_insee = eg.commune_insee
CROSS JOIN LATERAL (
    SELECT 2 * 6371 * asin(sqrt(
        pow(sin(radians(eg.lat - c.lat) / 2), 2)
        + cos(radians(c.lat)) * cos(radians(eg.lat)) * pow(sin(radians(eg.lon - c.lon) / 2), 2)
    )) AS distance_km
) AS d
WHERE eg.lat IS NOT NULL AND distance_km > 15
ORDER BY distance_km DESC
