-- The participant register. Participants are pseudonymous: a code and
-- statistical fields. Identifying data (name, personnummer, phone, e-mail)
-- is one encrypted blob sealed by the application (AES-256-GCM, additional
-- data binding it to the row's id) under the key named by identity_key_id;
-- pnr_index is an HMAC blind index of the normalised personnummer for
-- finding duplicates. No plaintext identity is ever stored.

-- The code prefix of each agreement, fixed at its first participant, unique
-- so that codes are unique across agreements (IKF, IKF2, …).
CREATE TABLE participant_code_prefixes (
    agreement_id BIGINT PRIMARY KEY REFERENCES agreements (id) ON DELETE CASCADE,
    prefix       TEXT NOT NULL UNIQUE CHECK (prefix ~ '^[A-Z0-9]{1,8}$')
);

-- The last number given per agreement and referral year. Taken with
-- INSERT … ON CONFLICT DO UPDATE … RETURNING, whose row lock serialises
-- concurrent registrations until their transactions end.
CREATE TABLE participant_code_sequences (
    agreement_id BIGINT NOT NULL REFERENCES agreements (id) ON DELETE CASCADE,
    year         INTEGER NOT NULL CHECK (year BETWEEN 2000 AND 2100),
    last_number  INTEGER NOT NULL CHECK (last_number > 0),
    PRIMARY KEY (agreement_id, year)
);

CREATE TABLE participants (
    id                  BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    agreement_id        BIGINT NOT NULL REFERENCES agreements (id) ON DELETE CASCADE,
    code                TEXT NOT NULL UNIQUE CHECK (code ~ '^[A-Z0-9]{1,8}-[0-9]{4}-[0-9]{3,}$'),
    gender              TEXT NOT NULL CHECK (gender IN ('woman', 'man', 'non_binary', 'not_stated')),
    birth_year          INTEGER NOT NULL CHECK (birth_year BETWEEN 1900 AND 2100),
    birth_region        TEXT NOT NULL CHECK (birth_region IN ('sweden', 'nordic', 'eu', 'europe', 'africa', 'asia',
                                                              'north_america', 'south_america', 'oceania', 'unknown')),
    years_in_sweden     INTEGER CHECK (years_in_sweden BETWEEN 0 AND 120),
    education           TEXT NOT NULL CHECK (education IN ('isced_0_2', 'isced_3_4', 'isced_5', 'isced_6_8', 'unknown')),
    labour_status       TEXT NOT NULL CHECK (labour_status IN ('registered_unemployed', 'unregistered_unemployed',
                                                                'in_programme', 'employed', 'studying', 'outside', 'unknown')),
    income_source       TEXT NOT NULL CHECK (income_source IN ('social_assistance', 'establishment_allowance',
                                                                'activity_support', 'wage', 'none', 'other', 'unknown')),
    living_area         TEXT NOT NULL DEFAULT '' CHECK (length(living_area) <= 100),
    work_capacity_hours INTEGER CHECK (work_capacity_hours BETWEEN 0 AND 40),
    cohort              TEXT NOT NULL DEFAULT '' CHECK (length(cohort) <= 100),
    referred_on         DATE NOT NULL CHECK (referred_on BETWEEN DATE '2000-01-01' AND DATE '2100-12-31'),
    referral_source     TEXT NOT NULL CHECK (referral_source IN ('employment_service', 'social_services', 'self', 'other')),
    referred_by         BIGINT REFERENCES users (id),
    enrolled_on         DATE,
    declined_on         DATE,
    decline_reason      TEXT CHECK (decline_reason IN ('no_show', 'participant_before_interview',
                                                       'participant_after_interview', 'association_after_interview', 'other')),
    decline_note        TEXT NOT NULL DEFAULT '' CHECK (length(decline_note) <= 500),
    exited_on           DATE,
    exit_destination    TEXT CHECK (exit_destination IN ('work', 'studies', 'other_measure', 'parental_leave',
                                                         'illness', 'moved', 'unknown')),
    -- As partnership.Participant.Status computes it, for the list's filter and index.
    status              TEXT GENERATED ALWAYS AS (CASE
                            WHEN exited_on IS NOT NULL THEN 'exited'
                            WHEN declined_on IS NOT NULL THEN 'declined'
                            WHEN enrolled_on IS NOT NULL THEN 'enrolled'
                            ELSE 'referred' END) STORED,
    identity_key_id     TEXT,
    identity_ciphertext BYTEA,
    pnr_index           BYTEA CHECK (octet_length(pnr_index) = 32),
    version             INTEGER NOT NULL DEFAULT 1,
    created_at          TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at          TIMESTAMPTZ NOT NULL DEFAULT now(),
    CONSTRAINT participants_enrolled_after_referral CHECK (enrolled_on >= referred_on),
    CONSTRAINT participants_declined_after_referral CHECK (declined_on >= referred_on),
    CONSTRAINT participants_enrolled_or_declined CHECK (enrolled_on IS NULL OR declined_on IS NULL),
    CONSTRAINT participants_decline_reason CHECK ((declined_on IS NULL) = (decline_reason IS NULL)),
    CONSTRAINT participants_exit_after_enrolment CHECK (exited_on IS NULL OR (enrolled_on IS NOT NULL AND exited_on >= enrolled_on)),
    CONSTRAINT participants_exit_destination CHECK ((exited_on IS NULL) = (exit_destination IS NULL)),
    CONSTRAINT participants_identity_sealed CHECK ((identity_key_id IS NULL) = (identity_ciphertext IS NULL)),
    CONSTRAINT participants_pnr_index_with_identity CHECK (pnr_index IS NULL OR identity_ciphertext IS NOT NULL)
);

-- The list: one agreement, newest referral first; the year filter is a
-- range on referred_on.
CREATE INDEX participants_agreement_idx ON participants (agreement_id, referred_on DESC, id DESC);
-- The list filtered by status.
CREATE INDEX participants_status_idx ON participants (agreement_id, status, referred_on DESC, id DESC);
-- A coordinator's own referrals.
CREATE INDEX participants_referred_by_idx ON participants (referred_by, referred_on DESC) WHERE referred_by IS NOT NULL;
-- Duplicates across agreements, without decrypting.
CREATE INDEX participants_pnr_index_idx ON participants (pnr_index) WHERE pnr_index IS NOT NULL;
-- Key rotation finds the identities not under the current key.
CREATE INDEX participants_identity_key_idx ON participants (identity_key_id, id) WHERE identity_key_id IS NOT NULL;

CREATE TABLE participant_consents (
    id             BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    participant_id BIGINT NOT NULL REFERENCES participants (id) ON DELETE CASCADE,
    scope          TEXT NOT NULL CHECK (scope IN ('identity_storage', 'follow_up_contact')),
    given_on       DATE NOT NULL,
    withdrawn_on   DATE CHECK (withdrawn_on >= given_on),
    recorded_by    BIGINT REFERENCES users (id),
    withdrawn_by   BIGINT REFERENCES users (id),
    created_at     TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE INDEX participant_consents_participant_idx ON participant_consents (participant_id, scope);
