-- 019: which establishments each data version changed (ror/core/db.bump_data_version), so that a review kept in
-- memory (the Qualité page's, ror/territoire/quality.py) updates only those after a write instead of the whole base.
-- finess_eg NULL: that version may have changed anything. Only the last versions are kept (db.CHANGES_KEPT).
CREATE TABLE data_change (
    version   BIGINT NOT NULL,
    finess_eg VARCHAR
);
