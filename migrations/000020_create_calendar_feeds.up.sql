-- A user's secret calendar feed addresses. Only the SHA-256 of the token is
-- stored: the token itself is shown once, when it is made. A revoked feed
-- keeps its row (revoked_at set) so the page can say when it was revoked.
CREATE TABLE calendar_feeds (
    id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id    BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    token_hash BYTEA NOT NULL CHECK (length(token_hash) = 32),
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    revoked_at TIMESTAMPTZ,
    CONSTRAINT calendar_feeds_token_hash_key UNIQUE (token_hash)
);

CREATE INDEX calendar_feeds_user_idx ON calendar_feeds (user_id) WHERE revoked_at IS NULL;

-- One e-mail digest per user and day: the reminder job inserts the row in
-- the transaction that sends, so no day's digest goes out twice.
CREATE TABLE sent_reminders (
    user_id   BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    sent_on   DATE NOT NULL,
    deadlines INTEGER NOT NULL CHECK (deadlines >= 0),
    sent_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (user_id, sent_on)
);
