CREATE TABLE agreements (
    id                         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    version                    INTEGER NOT NULL DEFAULT 1,
    title                      TEXT NOT NULL CHECK (btrim(title) <> '' AND length(title) <= 300),
    case_number                TEXT NOT NULL DEFAULT '',
    committee                  TEXT NOT NULL DEFAULT '',
    administration             TEXT NOT NULL DEFAULT '',
    purpose                    TEXT NOT NULL DEFAULT '',
    background                 TEXT NOT NULL DEFAULT '',
    values_text                TEXT NOT NULL DEFAULT '',
    target_group               TEXT NOT NULL DEFAULT '',
    activities                 TEXT NOT NULL DEFAULT '',
    organisation_text          TEXT NOT NULL DEFAULT '',
    follow_up                  TEXT NOT NULL DEFAULT '',
    economy                    TEXT NOT NULL DEFAULT '',
    termination_terms          TEXT NOT NULL DEFAULT '',
    start_date                 DATE,
    end_date                   DATE,
    extension_months           INTEGER NOT NULL DEFAULT 0 CHECK (extension_months >= 0),
    max_extensions             INTEGER NOT NULL DEFAULT 0 CHECK (max_extensions >= 0),
    notice_months              INTEGER NOT NULL DEFAULT 0 CHECK (notice_months >= 0),
    -- 'ended' is never stored: an active agreement whose end date has passed
    -- is shown as ended (see partnership.Agreement.StatusOn).
    status                     TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'active', 'terminated')),
    terminated_on              DATE,
    termination_kind           TEXT CHECK (termination_kind IN ('notice', 'rescission')),
    termination_reason         TEXT NOT NULL DEFAULT '',
    termination_settlement     TEXT NOT NULL DEFAULT '',
    participants_min           INTEGER CHECK (participants_min >= 0),
    participants_max           INTEGER CHECK (participants_max >= 0),
    dialogue_meetings_per_year INTEGER NOT NULL DEFAULT 0 CHECK (dialogue_meetings_per_year >= 0),
    representatives_per_party  INTEGER NOT NULL DEFAULT 0 CHECK (representatives_per_party >= 0),
    reporting_duties           TEXT NOT NULL DEFAULT '',
    invoice_frequency          TEXT NOT NULL DEFAULT '' CHECK (invoice_frequency IN ('', 'yearly', 'quarterly', 'monthly')),
    invoice_address            TEXT NOT NULL DEFAULT '',
    invoice_reference          TEXT NOT NULL DEFAULT '',
    invoice_marking            TEXT NOT NULL DEFAULT '',
    activity_code              TEXT NOT NULL DEFAULT '',
    invoice_label              TEXT NOT NULL DEFAULT '',
    created_at                 TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at                 TIMESTAMPTZ NOT NULL DEFAULT now(),
    CHECK (end_date IS NULL OR start_date IS NULL OR end_date >= start_date),
    CHECK ((status = 'terminated') = (terminated_on IS NOT NULL AND termination_kind IS NOT NULL))
);

CREATE INDEX agreements_title_idx ON agreements (lower(title));

CREATE TABLE agreement_parties (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    agreement_id    BIGINT NOT NULL REFERENCES agreements (id) ON DELETE CASCADE,
    organisation_id BIGINT NOT NULL REFERENCES organisations (id),
    role            TEXT NOT NULL CHECK (role IN ('municipality', 'lead_association', 'partner_association', 'referring_authority')),
    position        INTEGER NOT NULL DEFAULT 0,
    signatory_name  TEXT NOT NULL DEFAULT '',
    signatory_title TEXT NOT NULL DEFAULT '',
    signed_on       DATE,
    representatives TEXT[] NOT NULL DEFAULT '{}',
    contribution    TEXT NOT NULL DEFAULT '',
    UNIQUE (agreement_id, organisation_id)
);

-- Tenancy: association staff see the agreements their organisation is a party to.
CREATE INDEX agreement_parties_organisation_idx ON agreement_parties (organisation_id, agreement_id);

CREATE TABLE agreement_extensions (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    agreement_id BIGINT NOT NULL REFERENCES agreements (id) ON DELETE CASCADE,
    decided_on   DATE NOT NULL,
    decision_ref TEXT NOT NULL CHECK (btrim(decision_ref) <> ''),
    new_end_date DATE NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE INDEX agreement_extensions_agreement_idx ON agreement_extensions (agreement_id, new_end_date);
