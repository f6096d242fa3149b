-- 005: anomalies. The EG and EJ a report is about (the queue filters by établissement, a relance goes to the
-- EG's people), when it was closed (its age stops there), the anomalies a dossier collaboratif corrects
-- (resolved when it is published), and the delay past which an open report is late (a setting).
ALTER TABLE anomalie ADD COLUMN finess_eg VARCHAR;  -- NULL for a report on an EJ
ALTER TABLE anomalie ADD COLUMN finess_ej VARCHAR;
ALTER TABLE anomalie ADD COLUMN closed_at TIMESTAMP;
CREATE INDEX anomalie_target ON anomalie (target_type, target_id);
CREATE INDEX anomalie_evenement_anomalie ON anomalie_evenement (anomalie_id);

CREATE TABLE dossier_anomalie (
    dossier_id  BIGINT NOT NULL,
    anomalie_id BIGINT NOT NULL,
    PRIMARY KEY (dossier_id, anomalie_id)
);

INSERT INTO setting VALUES ('anomalie_delai_jours', '15') ON CONFLICT DO NOTHING;
