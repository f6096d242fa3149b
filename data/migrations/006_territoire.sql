-- 006: territoire. The boundary and the area of each commune (the coverage map and the local travel time of
-- docs/territoire.md), and the age past which a fiche counts as « ancienne » on the Qualité page (a setting).
ALTER TABLE commune ADD COLUMN geojson VARCHAR;          -- boundary (GeoJSON geometry), NULL where none is bundled
ALTER TABLE commune ADD COLUMN superficie_km2 DOUBLE;    -- area, from the boundary; NULL where none is bundled

INSERT INTO setting VALUES ('fiches_anciennes_mois', '12') ON CONFLICT DO NOTHING;
