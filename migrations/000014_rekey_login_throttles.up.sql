-- Login throttling moves from per-account and per-address locks to a lock
-- per (account, address) pair plus capped slowdowns per account and per
-- address (see internal/auth/throttle.go). A pair row also remembers the
-- pair's last successful login, which exempts that address from the wider
-- slowdowns, so it may exist without any failure.
ALTER TABLE login_throttles DROP CONSTRAINT login_throttles_scope_check;
ALTER TABLE login_throttles ADD CONSTRAINT login_throttles_scope_check
    CHECK (scope IN ('pair', 'account', 'ip'));
ALTER TABLE login_throttles ALTER COLUMN last_failure DROP NOT NULL;
ALTER TABLE login_throttles ADD COLUMN last_success TIMESTAMPTZ;

-- keep_until is when a row stops mattering (its window has passed, its lock
-- has ended and its success is forgotten), so that stale rows, which anyone
-- can create by trying made-up e-mail addresses, are pruned by index.
ALTER TABLE login_throttles ADD COLUMN keep_until TIMESTAMPTZ;
UPDATE login_throttles SET keep_until = GREATEST(last_failure + interval '1 hour', locked_until);
ALTER TABLE login_throttles ALTER COLUMN keep_until SET NOT NULL;
CREATE INDEX login_throttles_keep_until_idx ON login_throttles (keep_until);
