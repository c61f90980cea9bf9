-- The yearly report of an agreement (årsrapport) to the labour market
-- committee, which the agreements require (seeds 001, 002): the
-- association's narrative, written as a draft and submitted; the
-- officer's review (comments, returned, approved). Approval stores the
-- computed figures as they were (snapshot, a report.Report as JSON, before
-- disclosure control) so that what was approved never moves, and locks
-- the year's budget amounts in the same transaction.
CREATE TABLE annual_reports (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    agreement_id BIGINT NOT NULL REFERENCES agreements (id) ON DELETE CASCADE,
    year         INTEGER NOT NULL CHECK (year BETWEEN 2000 AND 2100),
    state        TEXT NOT NULL DEFAULT 'draft' CHECK (state IN ('draft', 'submitted', 'returned', 'approved')),
    activities   TEXT NOT NULL DEFAULT '' CHECK (length(activities) <= 20000),
    results      TEXT NOT NULL DEFAULT '' CHECK (length(results) <= 20000),
    lessons      TEXT NOT NULL DEFAULT '' CHECK (length(lessons) <= 20000),
    challenges   TEXT NOT NULL DEFAULT '' CHECK (length(challenges) <= 20000),
    next_year    TEXT NOT NULL DEFAULT '' CHECK (length(next_year) <= 20000),
    version      INTEGER NOT NULL DEFAULT 1,
    submitted_by BIGINT REFERENCES users (id) ON DELETE SET NULL,
    submitted_at TIMESTAMPTZ,
    approved_by  BIGINT REFERENCES users (id) ON DELETE SET NULL,
    approved_at  TIMESTAMPTZ,
    snapshot     JSONB,
    created_by   BIGINT REFERENCES users (id) ON DELETE SET NULL,
    created_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    CONSTRAINT annual_reports_once_per_year UNIQUE (agreement_id, year),
    -- An approved report carries its figures and when it was approved;
    -- no other report has a snapshot.
    CONSTRAINT annual_reports_approved_whole CHECK ((state = 'approved') = (snapshot IS NOT NULL)
                                                    AND (state = 'approved') = (approved_at IS NOT NULL)),
    CONSTRAINT annual_reports_submitted_whole CHECK (state = 'draft' OR submitted_at IS NOT NULL)
);

-- The reports of a year across agreements (the /reports overview).
CREATE INDEX annual_reports_year_idx ON annual_reports (year, agreement_id);

-- The officer's comments on a report; a return carries one (kind 'return').
CREATE TABLE annual_report_comments (
    id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    report_id  BIGINT NOT NULL REFERENCES annual_reports (id) ON DELETE CASCADE,
    kind       TEXT NOT NULL DEFAULT 'comment' CHECK (kind IN ('comment', 'return')),
    body       TEXT NOT NULL CHECK (btrim(body) <> '' AND length(body) <= 5000),
    author_id  BIGINT REFERENCES users (id) ON DELETE SET NULL,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE INDEX annual_report_comments_report_idx ON annual_report_comments (report_id, id);

-- The officer's summary of the whole portfolio of a year, for the
-- committee's portfolio report.
CREATE TABLE portfolio_summaries (
    year       INTEGER PRIMARY KEY CHECK (year BETWEEN 2000 AND 2100),
    summary    TEXT NOT NULL DEFAULT '' CHECK (length(summary) <= 20000),
    version    INTEGER NOT NULL DEFAULT 1,
    updated_by BIGINT REFERENCES users (id) ON DELETE SET NULL,
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
