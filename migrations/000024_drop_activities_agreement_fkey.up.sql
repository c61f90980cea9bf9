-- An activity's agreement is guaranteed by activities_type_fkey alone:
-- (agreement_id, type_id) must name a type of that agreement, a type
-- cannot be deleted while activities refer to it, and a type's agreement
-- exists (activity_types.agreement_id references agreements). The direct
-- foreign key to agreements only repeated that check, once per row: on an
-- import of ten thousand activities it was about a fifth of PostgreSQL's
-- CPU. Its one other duty, deleting an agreement's activities with the
-- agreement, moves into a trigger that runs before the row is deleted, so
-- that the cascade to the agreement's types finds no activity left.
--
-- The application never deletes agreements. If one is deleted while
-- another transaction adds activities to it, the delete now fails on
-- activities_type_fkey once the adding transaction commits (its types are
-- key-share locked), instead of deleting the new activities too.
ALTER TABLE activities DROP CONSTRAINT activities_agreement_id_fkey;

CREATE FUNCTION agreements_delete_activities() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM activities WHERE agreement_id = OLD.id;
    RETURN OLD;
END $$;

CREATE TRIGGER agreements_delete_activities BEFORE DELETE ON agreements
    FOR EACH ROW EXECUTE FUNCTION agreements_delete_activities();
