-- Meetings of an agreement's parties: dialogue meetings (dialogmöten),
-- steering-group meetings (styrgruppsmöten) and follow-up meetings
-- (uppföljningsmöten). The agreement's yearly requirement of dialogue
-- meetings and of representatives per party is checked against these rows
-- (partnership.MeetingRequirement); deadlines query "held per agreement and
-- year" and "action items due" from them.
CREATE TABLE meetings (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    agreement_id BIGINT NOT NULL REFERENCES agreements (id) ON DELETE CASCADE,
    kind         TEXT NOT NULL CHECK (kind IN ('dialogue', 'steering_group', 'follow_up')),
    held_on      DATE NOT NULL,
    starts_at    TIME,
    place        TEXT NOT NULL DEFAULT '',
    minutes      TEXT NOT NULL DEFAULT '',
    version      INTEGER NOT NULL DEFAULT 1,
    created_by   BIGINT REFERENCES users (id) ON DELETE SET NULL,
    created_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at   TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- Meetings held per agreement and year.
CREATE INDEX meetings_agreement_idx ON meetings (agreement_id, held_on);

-- Who attended, for a party (one of its representatives, or a free name on
-- its behalf) or for no party (a guest).
CREATE TABLE meeting_attendees (
    id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    meeting_id BIGINT NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
    -- Set null: removing a party from the agreement keeps the minutes' record.
    party_id   BIGINT REFERENCES agreement_parties (id) ON DELETE SET NULL,
    name       TEXT NOT NULL CHECK (btrim(name) <> ''),
    position   INTEGER NOT NULL DEFAULT 0
);

CREATE INDEX meeting_attendees_meeting_idx ON meeting_attendees (meeting_id, position);

CREATE TABLE meeting_agenda_points (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    meeting_id      BIGINT NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
    text            TEXT NOT NULL CHECK (btrim(text) <> ''),
    -- The association whose staff added the point; null for the municipality.
    organisation_id BIGINT REFERENCES organisations (id),
    created_by      BIGINT REFERENCES users (id) ON DELETE SET NULL,
    created_at      TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE INDEX meeting_agenda_points_meeting_idx ON meeting_agenda_points (meeting_id, id);

CREATE TABLE meeting_decisions (
    id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    meeting_id BIGINT NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
    number     INTEGER NOT NULL CHECK (number > 0),
    text       TEXT NOT NULL CHECK (btrim(text) <> ''),
    UNIQUE (meeting_id, number)
);

CREATE TABLE meeting_action_items (
    id             BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    meeting_id     BIGINT NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
    text           TEXT NOT NULL CHECK (btrim(text) <> ''),
    -- The owner is a party of the agreement or a free name (or both: a
    -- named person at the party).
    owner_party_id BIGINT REFERENCES agreement_parties (id) ON DELETE SET NULL,
    owner_name     TEXT NOT NULL DEFAULT '',
    due_on         DATE,
    done_on        DATE,
    done_by        BIGINT REFERENCES users (id) ON DELETE SET NULL,
    CHECK (owner_party_id IS NOT NULL OR btrim(owner_name) <> '')
);

CREATE INDEX meeting_action_items_meeting_idx ON meeting_action_items (meeting_id, id);
-- Action items due: the open ones by due date.
CREATE INDEX meeting_action_items_open_idx ON meeting_action_items (due_on) WHERE done_on IS NULL;
