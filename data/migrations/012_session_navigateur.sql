-- A browser's session kept across a reload (docs/securite.md): the browser holds a random token in an HttpOnly,
-- SameSite=Strict cookie; the base keeps only its SHA-256, the account and the version of its sessions when it was
-- opened. Sign-out ends it; a deactivation, a password change or reset end it at its next use.
CREATE TABLE session_navigateur (
    jeton_sha256    VARCHAR PRIMARY KEY,
    user_id         INTEGER NOT NULL,
    version_session INTEGER NOT NULL,
    ouverte_le      TIMESTAMP NOT NULL,
    vue_le          TIMESTAMP NOT NULL,   -- its last use, within a few minutes (the idle limit)
    fermee_le       TIMESTAMP             -- signed out, or ended by a check
);
