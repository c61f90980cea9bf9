-- Activity types are configured per agreement (skapandeträff, Må bra-grupp,
-- yrkescoachning, …). A type is counted in occasions or in hours; it may
-- carry a target per participant (e.g. 2–3 coaching sessions each).
CREATE TABLE activity_types (
    id                  BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    agreement_id        BIGINT NOT NULL REFERENCES agreements (id) ON DELETE CASCADE,
    name                TEXT NOT NULL CHECK (btrim(name) <> '' AND length(name) <= 100),
    unit                TEXT NOT NULL CHECK (unit IN ('occasions', 'hours')),
    per_participant_min INTEGER CHECK (per_participant_min >= 0),
    per_participant_max INTEGER CHECK (per_participant_max >= 0),
    position            INTEGER NOT NULL DEFAULT 0,
    active              BOOLEAN NOT NULL DEFAULT true,
    created_at          TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at          TIMESTAMPTZ NOT NULL DEFAULT now(),
    CHECK (per_participant_max IS NULL OR (per_participant_min IS NOT NULL AND per_participant_max >= per_participant_min)),
    -- The target of the composite foreign keys below: a target or an activity
    -- can only name a type of its own agreement.
    CONSTRAINT activity_types_agreement_id_key UNIQUE (agreement_id, id)
);

CREATE UNIQUE INDEX activity_types_name_idx ON activity_types (agreement_id, lower(name));

-- Targets per agreement, type and year, in the type's unit. A single number
-- is stored as target_min = target_max; a range such as 40–60 as both ends.
CREATE TABLE activity_targets (
    agreement_id BIGINT NOT NULL,
    type_id      BIGINT NOT NULL,
    year         INTEGER NOT NULL CHECK (year BETWEEN 2000 AND 2100),
    target_min   INTEGER NOT NULL CHECK (target_min >= 0),
    target_max   INTEGER NOT NULL CHECK (target_max >= target_min),
    updated_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (agreement_id, type_id, year),
    CONSTRAINT activity_targets_type_fkey FOREIGN KEY (agreement_id, type_id)
        REFERENCES activity_types (agreement_id, id) ON DELETE CASCADE
);

-- The activities association staff log. Durations and volunteer time are
-- whole minutes, so that sums are exact; attendance is counted by gender.
CREATE TABLE activities (
    id                BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    agreement_id      BIGINT NOT NULL REFERENCES agreements (id) ON DELETE CASCADE,
    type_id           BIGINT NOT NULL,
    activity_date     DATE NOT NULL CHECK (activity_date BETWEEN DATE '2000-01-01' AND DATE '2100-12-31'),
    duration_minutes  INTEGER NOT NULL CHECK (duration_minutes BETWEEN 1 AND 1440),
    women             INTEGER NOT NULL DEFAULT 0 CHECK (women BETWEEN 0 AND 10000),
    men               INTEGER NOT NULL DEFAULT 0 CHECK (men BETWEEN 0 AND 10000),
    non_binary        INTEGER NOT NULL DEFAULT 0 CHECK (non_binary BETWEEN 0 AND 10000),
    children          INTEGER NOT NULL DEFAULT 0 CHECK (children BETWEEN 0 AND 10000),
    volunteer_minutes INTEGER NOT NULL DEFAULT 0 CHECK (volunteer_minutes BETWEEN 0 AND 60000),
    staff_present     INTEGER NOT NULL DEFAULT 0 CHECK (staff_present BETWEEN 0 AND 1000),
    place             TEXT NOT NULL DEFAULT '' CHECK (length(place) <= 200),
    notes             TEXT NOT NULL DEFAULT '' CHECK (length(notes) <= 2000),
    created_by        BIGINT REFERENCES users (id),
    -- The organisation of the party that logged it (NULL when municipal staff
    -- did): association staff may change only their own organisation's entries.
    organisation_id   BIGINT REFERENCES organisations (id),
    version           INTEGER NOT NULL DEFAULT 1,
    created_at        TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at        TIMESTAMPTZ NOT NULL DEFAULT now(),
    -- No cascade: a type that has activities is deactivated, not deleted.
    CONSTRAINT activities_type_fkey FOREIGN KEY (agreement_id, type_id)
        REFERENCES activity_types (agreement_id, id)
);

-- The list: one agreement, newest first, keyset pagination on (date, id).
-- The included columns let the totals of a period, with or without a type,
-- and the progress figures per type and year be computed from the index
-- alone (an index-only scan), without visiting the table's pages, which
-- interleave the agreements.
CREATE INDEX activities_list_idx ON activities (agreement_id, activity_date DESC, id DESC)
    INCLUDE (type_id, duration_minutes, women, men, non_binary, children, volunteer_minutes);
-- One type over any period: list pages (read backwards, in the same
-- order) and totals, also for a type that is rare among many activities.
CREATE INDEX activities_type_idx ON activities (agreement_id, type_id, activity_date, id);
