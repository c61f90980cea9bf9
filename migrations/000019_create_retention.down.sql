ALTER TABLE participant_consents DROP COLUMN ended_by_purge;
ALTER TABLE participants DROP COLUMN identity_purged_on;
DROP TABLE retention_settings;
