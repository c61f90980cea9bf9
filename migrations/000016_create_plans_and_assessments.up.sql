-- Individual development plans (IUP) and assessments on a step model.
-- Goal texts and outcome notes are free text about a person: the
-- application shows them only to those who may see the participant's
-- identity. Ratings are statistics.

CREATE TABLE plan_goals (
    id             BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    participant_id BIGINT NOT NULL REFERENCES participants (id) ON DELETE CASCADE,
    term           TEXT NOT NULL CHECK (term IN ('short', 'long')),
    text           TEXT NOT NULL CHECK (length(text) BETWEEN 1 AND 1000),
    follow_up_on   DATE NOT NULL CHECK (follow_up_on BETWEEN DATE '2000-01-01' AND DATE '2100-12-31'),
    status         TEXT NOT NULL DEFAULT 'in_progress'
                   CHECK (status IN ('in_progress', 'achieved', 'partly_achieved', 'not_achieved')),
    outcome_on     DATE,
    outcome_note   TEXT NOT NULL DEFAULT '' CHECK (length(outcome_note) <= 1000),
    created_by     BIGINT REFERENCES users (id),
    created_at     TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE INDEX plan_goals_participant_idx ON plan_goals (participant_id, follow_up_on, id);
-- The overdue list: follow-ups without an outcome.
CREATE INDEX plan_goals_open_idx ON plan_goals (follow_up_on) WHERE outcome_on IS NULL;

-- The step model of an agreement; an agreement without a row uses the
-- default (GA-modellen), stored on first use.
CREATE TABLE step_models (
    agreement_id BIGINT PRIMARY KEY REFERENCES agreements (id) ON DELETE CASCADE,
    name         TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    scale_min    INTEGER NOT NULL CHECK (scale_min BETWEEN 0 AND 20),
    scale_max    INTEGER NOT NULL CHECK (scale_max BETWEEN 1 AND 20),
    CONSTRAINT step_models_scale CHECK (scale_max > scale_min)
);

-- Dimensions keep their id when renamed, so ratings follow a renamed
-- dimension.
CREATE TABLE step_dimensions (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    agreement_id BIGINT NOT NULL REFERENCES step_models (agreement_id) ON DELETE CASCADE,
    position     INTEGER NOT NULL,
    name         TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    UNIQUE (agreement_id, name)
);

CREATE TABLE assessments (
    id             BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    participant_id BIGINT NOT NULL REFERENCES participants (id) ON DELETE CASCADE,
    assessed_on    DATE NOT NULL CHECK (assessed_on BETWEEN DATE '2000-01-01' AND DATE '2100-12-31'),
    recorded_by    BIGINT REFERENCES users (id),
    created_at     TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE INDEX assessments_participant_idx ON assessments (participant_id, assessed_on, id);

CREATE TABLE assessment_ratings (
    assessment_id BIGINT NOT NULL REFERENCES assessments (id) ON DELETE CASCADE,
    dimension_id  BIGINT NOT NULL REFERENCES step_dimensions (id) ON DELETE CASCADE,
    rating        INTEGER NOT NULL CHECK (rating BETWEEN 0 AND 20),
    PRIMARY KEY (assessment_id, dimension_id)
);
