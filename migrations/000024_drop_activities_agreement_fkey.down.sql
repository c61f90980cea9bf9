DROP TRIGGER agreements_delete_activities ON agreements;
DROP FUNCTION agreements_delete_activities();
ALTER TABLE activities ADD CONSTRAINT activities_agreement_id_fkey
    FOREIGN KEY (agreement_id) REFERENCES agreements (id) ON DELETE CASCADE;
