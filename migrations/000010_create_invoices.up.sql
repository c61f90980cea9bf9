-- Invoices received from an association, in öre. The period is 1 for a
-- yearly invoice, 1–4 for quarterly and 1–12 for monthly (checked against
-- the agreement's terms by the application).
CREATE TABLE invoices (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    agreement_id BIGINT NOT NULL REFERENCES agreements (id) ON DELETE CASCADE,
    number       TEXT NOT NULL CHECK (btrim(number) <> '' AND length(number) <= 100),
    invoice_date DATE NOT NULL,
    year         INTEGER NOT NULL CHECK (year BETWEEN 2000 AND 2100),
    period       INTEGER NOT NULL CHECK (period BETWEEN 1 AND 12),
    amount       BIGINT NOT NULL CHECK (amount > 0 AND amount <= 100000000000),
    status       TEXT NOT NULL DEFAULT 'received' CHECK (status IN ('received', 'approved', 'paid')),
    note         TEXT NOT NULL DEFAULT '' CHECK (length(note) <= 2000),
    version      INTEGER NOT NULL DEFAULT 1,
    created_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    -- The same invoice is not recorded twice for an agreement.
    CONSTRAINT invoices_agreement_number_key UNIQUE (agreement_id, number)
);

-- An agreement's invoices, and the overview of a year across agreements.
CREATE INDEX invoices_agreement_idx ON invoices (agreement_id, year, period);
CREATE INDEX invoices_year_idx ON invoices (year, agreement_id);
