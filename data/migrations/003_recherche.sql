-- 003: SQL helpers of the search (queries/search_*.sql, queries/*_suggestions.sql).

-- Text as the search compares it: lower case, no accents, every run of other characters as one space.
-- ror/recherche/search.py `normalise` does the same in Python for the user's text.
CREATE OR REPLACE MACRO texte_normalise(s) AS trim(regexp_replace(lower(strip_accents(s)), '[^a-z0-9]+', ' ', 'g'));

-- Great-circle distance in km between two WGS84 points (haversine, as ror/recherche/geo.py `haversine_km`).
CREATE OR REPLACE MACRO distance_km(lat1, lon1, lat2, lon2) AS
    2 * 6371.0 * asin(sqrt(
        pow(sin(radians(lat2 - lat1) / 2), 2)
        + cos(radians(lat1)) * cos(radians(lat2)) * pow(sin(radians(lon2 - lon1) / 2), 2)
    ));
