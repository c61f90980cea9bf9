CREATE TABLE users (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email           TEXT NOT NULL CHECK (email ~ '^[^@\s]+@[^@\s]+$' AND length(email) <= 254),
    name            TEXT NOT NULL CHECK (btrim(name) <> '' AND length(name) <= 200),
    role            TEXT NOT NULL CHECK (role IN ('admin', 'officer', 'coordinator', 'association_staff', 'viewer')),
    organisation_id BIGINT REFERENCES organisations (id),
    password_hash   TEXT NOT NULL,
    active          BOOLEAN NOT NULL DEFAULT true,
    -- Bumped when the user is disabled or the password is reset: sessions that
    -- carry an older epoch stop working at their next request.
    session_epoch   INTEGER NOT NULL DEFAULT 1,
    last_login_at   TIMESTAMPTZ,
    created_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
    CONSTRAINT users_staff_has_organisation
        CHECK ((role = 'association_staff') = (organisation_id IS NOT NULL))
);

CREATE UNIQUE INDEX users_email_idx ON users (lower(email));

-- Login throttling state, per account (scope 'account', key = lower-cased
-- e-mail, also for e-mails that match no user so that the responses do not
-- reveal which accounts exist) and per client IP (scope 'ip').
CREATE TABLE login_throttles (
    scope        TEXT NOT NULL CHECK (scope IN ('account', 'ip')),
    key          TEXT NOT NULL,
    failures     INTEGER NOT NULL DEFAULT 0,
    last_failure TIMESTAMPTZ NOT NULL,
    locked_until TIMESTAMPTZ,
    PRIMARY KEY (scope, key)
);
