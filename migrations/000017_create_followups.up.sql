-- Follow-ups after a participant's exit (seed 004: six and twelve months
-- after, to see what the participant does and how they support
-- themselves). The schedule is per agreement; an agreement without a row
-- uses the default, 6 and 12 months.
CREATE TABLE followup_schedules (
    agreement_id BIGINT PRIMARY KEY REFERENCES agreements (id) ON DELETE CASCADE,
    months       INTEGER[] NOT NULL CHECK (cardinality(months) BETWEEN 1 AND 12
                                           AND 1 <= ALL (months) AND 60 >= ALL (months)),
    updated_at   TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- One row per participant and scheduled month, created in the exit's
-- transaction; recorded when done_on is set. The note is free text about
-- the participant and is shown only to those who may see the identity.
CREATE TABLE followups (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    participant_id  BIGINT NOT NULL REFERENCES participants (id) ON DELETE CASCADE,
    agreement_id    BIGINT NOT NULL REFERENCES agreements (id) ON DELETE CASCADE,
    months          INTEGER NOT NULL CHECK (months BETWEEN 1 AND 60),
    due_on          DATE NOT NULL,
    done_on         DATE,
    destination     TEXT CHECK (destination IN ('work', 'studies', 'other_measure', 'parental_leave',
                                                'illness', 'moved', 'unknown')),
    self_supporting TEXT CHECK (self_supporting IN ('yes', 'no', 'unknown')),
    note            TEXT NOT NULL DEFAULT '' CHECK (length(note) <= 2000),
    recorded_by     BIGINT REFERENCES users (id),
    recorded_at     TIMESTAMPTZ,
    CONSTRAINT followups_once_per_month UNIQUE (participant_id, months),
    CONSTRAINT followups_recorded_whole CHECK ((done_on IS NULL) = (destination IS NULL)
                                               AND (done_on IS NULL) = (self_supporting IS NULL))
);

-- The overdue list: an agreement's open follow-ups by due date.
CREATE INDEX followups_open_idx ON followups (agreement_id, due_on) WHERE done_on IS NULL;
CREATE INDEX followups_participant_idx ON followups (participant_id, months);
