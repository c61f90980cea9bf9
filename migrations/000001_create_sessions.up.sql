-- The table scs/pgxstore expects; the token column holds a SHA-256 hash of the
-- session token (HashTokenInStore), never the token itself.
CREATE TABLE sessions (
    token  TEXT PRIMARY KEY,
    data   BYTEA NOT NULL,
    expiry TIMESTAMPTZ NOT NULL
);

CREATE INDEX sessions_expiry_idx ON sessions (expiry);
