DELETE FROM login_throttles WHERE scope = 'pair' OR last_failure IS NULL;
DROP INDEX login_throttles_keep_until_idx;
ALTER TABLE login_throttles DROP COLUMN keep_until;
ALTER TABLE login_throttles DROP COLUMN last_success;
ALTER TABLE login_throttles ALTER COLUMN last_failure SET NOT NULL;
ALTER TABLE login_throttles DROP CONSTRAINT login_throttles_scope_check;
ALTER TABLE login_throttles ADD CONSTRAINT login_throttles_scope_check
    CHECK (scope IN ('account', 'ip'));
