-- 015: the 20 municipal arrondissements of Paris (data/geo/paris-arrondissements.geojson: Paris Open Data, population
-- and postal codes of the COG 2026). Paris is one commune of 2.1 million inhabitants: the « Où » of the search offers
-- its arrondissements as places (distances start from the arrondissement), and the coverage and the maps draw Paris by
-- arrondissement. An EG of Paris is in the arrondissement of its postal code (75013 → 75113; 75016 and 75116 → 75116),
-- else in the arrondissement whose centre is nearest (a CEDEX code): the view eg_zone.
CREATE TABLE arrondissement (
    code_insee     VARCHAR PRIMARY KEY,   -- 75101 … 75120
    commune_insee  VARCHAR NOT NULL,      -- 75056
    numero         INTEGER NOT NULL,      -- 1 … 20
    nom            VARCHAR NOT NULL,      -- « Paris 13e »
    nom_officiel   VARCHAR NOT NULL,      -- « Gobelins »
    codes_postaux  VARCHAR NOT NULL,      -- '75016|75116'
    lat            DOUBLE NOT NULL,
    lon            DOUBLE NOT NULL,
    population     INTEGER NOT NULL,
    superficie_km2 DOUBLE NOT NULL,
    geojson        VARCHAR NOT NULL       -- boundary (GeoJSON geometry)
);

INSERT INTO arrondissement
SELECT code_insee, '75056', arrondissement, nom, nom_officiel, codes_postaux, lat, lon, population,
    round(surface_m2 / 1e6, 3), ST_AsGeoJSON(geometry)
FROM read_json('geo/paris-arrondissements.geojson');

-- Where an EG is for the coverage: its commune, or for Paris its arrondissement. Returns: finess_eg, zone_insee, zone.
CREATE VIEW eg_zone AS
SELECT e.finess_eg,
    coalesce(a.code_insee, e.commune_insee) AS zone_insee,
    coalesce(a.nom, c.nom) AS zone
FROM eg e
LEFT JOIN commune c ON c.code_insee = e.commune_insee
LEFT JOIN LATERAL (
    SELECT code_insee, nom FROM arrondissement a
    WHERE e.commune_insee = a.commune_insee
    ORDER BY list_contains(string_split(a.codes_postaux, '|'), e.code_postal) DESC,
        (a.lat - e.lat) ^ 2 + ((a.lon - e.lon) * 0.66) ^ 2
    LIMIT 1
) a ON TRUE;
