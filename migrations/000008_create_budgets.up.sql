-- How an agreement's indexed budget lines follow price and wage development:
-- a fixed yearly rate in basis points (200 = 2 %) or the municipality's
-- decided rates; and the value of one volunteer hour in öre (0: not stated).
ALTER TABLE agreements
    ADD COLUMN index_mode          TEXT NOT NULL DEFAULT 'fixed' CHECK (index_mode IN ('fixed', 'municipal')),
    ADD COLUMN index_rate_bp       BIGINT NOT NULL DEFAULT 200 CHECK (index_rate_bp > -10000 AND index_rate_bp <= 10000),
    ADD COLUMN volunteer_hour_rate BIGINT NOT NULL DEFAULT 0 CHECK (volunteer_hour_rate >= 0);

-- The target of the composite foreign keys below: a budget line or a stated
-- total can only name a party of its own agreement.
ALTER TABLE agreement_parties ADD CONSTRAINT agreement_parties_agreement_id_id_key UNIQUE (agreement_id, id);

-- Budget lines per party, as the source states them. Amounts are öre. The
-- basis (quantity × unit price × share × periods × persons) is optional:
-- its columns are all set or all NULL.
CREATE TABLE budget_lines (
    id                BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    agreement_id      BIGINT NOT NULL REFERENCES agreements (id) ON DELETE CASCADE,
    party_id          BIGINT NOT NULL,
    position          INTEGER NOT NULL CHECK (position >= 1),
    section           TEXT NOT NULL DEFAULT '' CHECK (length(section) <= 200),
    text              TEXT NOT NULL CHECK (btrim(text) <> '' AND length(text) <= 500),
    category          TEXT NOT NULL DEFAULT '' CHECK (length(category) <= 200),
    kind              TEXT NOT NULL CHECK (kind IN ('cash', 'in_kind')),
    indexed           BOOLEAN NOT NULL DEFAULT true,
    amount            BIGINT NOT NULL CHECK (amount BETWEEN 0 AND 100000000000),
    basis_quantity    BIGINT CHECK (basis_quantity BETWEEN 1 AND 1000000),
    basis_unit_price  BIGINT CHECK (basis_unit_price BETWEEN 0 AND 100000000000),
    basis_unit        TEXT CHECK (length(basis_unit) <= 50),
    basis_share_bp    BIGINT CHECK (basis_share_bp BETWEEN 1 AND 10000),
    basis_periods     BIGINT CHECK (basis_periods BETWEEN 1 AND 366),
    basis_persons     BIGINT CHECK (basis_persons BETWEEN 1 AND 10000),
    basis_description TEXT CHECK (length(basis_description) <= 500),
    accepted_note     TEXT NOT NULL DEFAULT '' CHECK (length(accepted_note) <= 2000),
    created_at        TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at        TIMESTAMPTZ NOT NULL DEFAULT now(),
    CHECK (num_nulls(basis_quantity, basis_unit_price, basis_unit, basis_share_bp, basis_periods,
                     basis_persons, basis_description) IN (0, 7)),
    -- A party with budget lines cannot be removed from the agreement.
    CONSTRAINT budget_lines_party_fkey FOREIGN KEY (agreement_id, party_id)
        REFERENCES agreement_parties (agreement_id, id),
    -- The target of the materialised amounts' foreign key.
    CONSTRAINT budget_lines_agreement_id_id_key UNIQUE (agreement_id, id)
);

-- An agreement's budget in party order, then line order.
CREATE INDEX budget_lines_agreement_idx ON budget_lines (agreement_id, party_id, position);

-- Totals as the source states them: for the whole agreement (party_id NULL),
-- a party, or a section of a party's budget. At most one per place.
CREATE TABLE budget_stated_totals (
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    agreement_id  BIGINT NOT NULL REFERENCES agreements (id) ON DELETE CASCADE,
    party_id      BIGINT,
    section       TEXT NOT NULL DEFAULT '' CHECK (length(section) <= 200),
    label         TEXT NOT NULL DEFAULT '' CHECK (length(label) <= 200),
    amount        BIGINT NOT NULL CHECK (amount BETWEEN 0 AND 100000000000),
    accepted_note TEXT NOT NULL DEFAULT '' CHECK (length(accepted_note) <= 2000),
    created_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
    CHECK (party_id IS NOT NULL OR section = ''),
    CONSTRAINT budget_stated_totals_party_fkey FOREIGN KEY (agreement_id, party_id)
        REFERENCES agreement_parties (agreement_id, id),
    CONSTRAINT budget_stated_totals_place_key UNIQUE NULLS NOT DISTINCT (agreement_id, party_id, section)
);
