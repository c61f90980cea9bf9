-- Retention (gallring): how long each kind of personal data is kept, set
-- by the administrator. One row. The periods run from the participant's
-- retention anchor (see postgres.retentionAnchor): the last follow-up's due
-- date after an exit, the exit when there are no follow-ups, the decline
-- date for a declined participant.
CREATE TABLE retention_settings (
    id                INTEGER PRIMARY KEY DEFAULT 1 CHECK (id = 1),
    identity_months   INTEGER NOT NULL DEFAULT 24 CHECK (identity_months BETWEEN 1 AND 240),
    notes_months      INTEGER NOT NULL DEFAULT 24 CHECK (notes_months BETWEEN 1 AND 240),
    assessment_months INTEGER NOT NULL DEFAULT 60 CHECK (assessment_months BETWEEN 1 AND 240),
    updated_by        BIGINT REFERENCES users (id),
    updated_at        TIMESTAMPTZ NOT NULL DEFAULT now()
);

INSERT INTO retention_settings (id) VALUES (1);

-- When the participant's identity was erased by retention; the row and its
-- statistics stay.
ALTER TABLE participants ADD COLUMN identity_purged_on DATE;
-- A consent ended because the data it covered was erased, not withdrawn by
-- the participant.
ALTER TABLE participant_consents ADD COLUMN ended_by_purge BOOLEAN NOT NULL DEFAULT false;
