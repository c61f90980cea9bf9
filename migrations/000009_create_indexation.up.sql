-- The municipality's decided yearly rates (e.g. a definitive OPI figure), in
-- basis points; agreements in 'municipal' index mode follow them.
CREATE TABLE index_rates (
    year       INTEGER PRIMARY KEY CHECK (year BETWEEN 2000 AND 2100),
    rate_bp    BIGINT NOT NULL CHECK (rate_bp > -10000 AND rate_bp <= 10000),
    source     TEXT NOT NULL DEFAULT '' CHECK (length(source) <= 200),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- A year of an agreement that may no longer change (its invoice or annual
-- report approved). The indexation never writes amounts of a locked year.
CREATE TABLE budget_year_locks (
    agreement_id BIGINT NOT NULL REFERENCES agreements (id) ON DELETE CASCADE,
    year         INTEGER NOT NULL CHECK (year BETWEEN 2000 AND 2100),
    reason       TEXT NOT NULL CHECK (btrim(reason) <> '' AND length(reason) <= 200),
    locked_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (agreement_id, year)
);

-- Each budget line's amount per calendar year after indexation and pro-rata,
-- in öre. locked/locked_by mirror budget_year_locks on the rows that existed
-- when the year was locked, so that an upsert can refuse them row by row.
CREATE TABLE budget_year_amounts (
    agreement_id BIGINT NOT NULL,
    line_id      BIGINT NOT NULL,
    year         INTEGER NOT NULL CHECK (year BETWEEN 2000 AND 2100),
    amount       BIGINT NOT NULL,
    locked       BOOLEAN NOT NULL DEFAULT false,
    locked_by    TEXT NOT NULL DEFAULT '' CHECK (length(locked_by) <= 200),
    computed_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (line_id, year),
    CONSTRAINT budget_year_amounts_line_fkey FOREIGN KEY (agreement_id, line_id)
        REFERENCES budget_lines (agreement_id, id) ON DELETE CASCADE,
    CHECK (locked = (locked_by <> ''))
);

-- A year across all agreements (the overview, "is the year materialised"),
-- and an agreement's years.
CREATE INDEX budget_year_amounts_year_idx ON budget_year_amounts (year, agreement_id);
CREATE INDEX budget_year_amounts_agreement_idx ON budget_year_amounts (agreement_id, year);

-- Every indexation run that changed or checked amounts: who started it (NULL:
-- the scheduled run), for which year, and what it did.
CREATE TABLE indexation_runs (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    year        INTEGER NOT NULL CHECK (year BETWEEN 2000 AND 2100),
    started_by  BIGINT REFERENCES users (id),
    dry_run     BOOLEAN NOT NULL DEFAULT false,
    agreements  INTEGER NOT NULL DEFAULT 0 CHECK (agreements >= 0),
    inserted    INTEGER NOT NULL DEFAULT 0 CHECK (inserted >= 0),
    updated     INTEGER NOT NULL DEFAULT 0 CHECK (updated >= 0),
    unchanged   INTEGER NOT NULL DEFAULT 0 CHECK (unchanged >= 0),
    locked      INTEGER NOT NULL DEFAULT 0 CHECK (locked >= 0),
    started_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    finished_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    CHECK (finished_at >= started_at)
);

CREATE INDEX indexation_runs_year_idx ON indexation_runs (year, finished_at DESC);
