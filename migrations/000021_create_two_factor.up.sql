-- Two-factor login with time-based one-time codes (TOTP, RFC 6238) for
-- local accounts. The shared secret is sealed with the identity keyring
-- (AES-256-GCM, additional data "totp:<user id>", see internal/auth/totp.go):
-- a copy of the database alone does not give anyone a working second factor.
CREATE TABLE user_totp (
    user_id      BIGINT PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    key_id       TEXT NOT NULL,
    secret       BYTEA NOT NULL,
    -- The last time step (unix time / 30 s) whose code was accepted: a code
    -- is accepted once, so one seen over a shoulder or replayed is refused.
    last_step    BIGINT NOT NULL DEFAULT 0,
    confirmed_at TIMESTAMPTZ NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- Recovery codes: SHA-256 of a random code of about 60 bits, shown once;
-- each works once.
CREATE TABLE user_recovery_codes (
    user_id   BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    code_hash BYTEA NOT NULL CHECK (length(code_hash) = 32),
    used_at   TIMESTAMPTZ,
    PRIMARY KEY (user_id, code_hash)
);

-- The municipality's identity provider (OpenID Connect) is linked to a user
-- by verified e-mail at the first login; the subject is kept so that a later
-- login under the same e-mail but another subject (an address handed on to
-- someone else) is refused rather than linked.
CREATE TABLE user_oidc_links (
    user_id    BIGINT PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    issuer     TEXT NOT NULL,
    subject    TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    UNIQUE (issuer, subject)
);
