-- Addresses are free text of a few lines, as they are printed on letters and
-- invoices. The version counts edits, so that an edit based on an older
-- version is refused instead of silently overwriting someone else's change.
ALTER TABLE organisations
    ADD COLUMN postal_address  TEXT NOT NULL DEFAULT '' CHECK (length(postal_address) <= 1000),
    ADD COLUMN invoice_address TEXT NOT NULL DEFAULT '' CHECK (length(invoice_address) <= 1000),
    ADD COLUMN version         INTEGER NOT NULL DEFAULT 1 CHECK (version >= 1);

CREATE TABLE organisation_contacts (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    organisation_id BIGINT NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    name            TEXT NOT NULL CHECK (btrim(name) <> '' AND length(name) <= 200),
    title           TEXT NOT NULL DEFAULT '' CHECK (length(title) <= 200),
    email           TEXT NOT NULL DEFAULT '' CHECK (email = '' OR (email ~ '^[^@\s]+@[^@\s]+$' AND length(email) <= 254)),
    phone           TEXT NOT NULL DEFAULT '' CHECK (length(phone) <= 40),
    created_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at      TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE INDEX organisation_contacts_organisation_idx ON organisation_contacts (organisation_id);
