-- Per agreement, day and activity type: how many activities were logged
-- and their sums. The activity list's totals, the progress per type and
-- year and the volunteer time per year read these rows (at most one per
-- day and type) instead of every activity: on an agreement with hundreds of
-- thousands of activities a year's totals sum a few hundred rows, not tens
-- of thousands.
--
-- Kept by statement-level triggers on activities with transition tables:
-- one grouped upsert per INSERT, UPDATE, DELETE or COPY statement, so a
-- bulk import pays once per statement, not once per row. Keys are upserted
-- in key order, so concurrent writers lock the rows in the same order.
-- A row whose count falls to zero is deleted. No foreign key: when an
-- agreement is deleted, the cascade deletes its activities and the delete
-- trigger takes their rows away.
CREATE TABLE activity_day_totals (
    agreement_id      BIGINT NOT NULL,
    activity_date     DATE NOT NULL,
    type_id           BIGINT NOT NULL,
    occasions         BIGINT NOT NULL,
    minutes           BIGINT NOT NULL,
    women             BIGINT NOT NULL,
    men               BIGINT NOT NULL,
    non_binary        BIGINT NOT NULL,
    children          BIGINT NOT NULL,
    volunteer_minutes BIGINT NOT NULL,
    -- The sums are included so that a period's totals are read from the
    -- index alone (an index-only scan).
    PRIMARY KEY (agreement_id, activity_date, type_id)
        INCLUDE (occasions, minutes, women, men, non_binary, children, volunteer_minutes)
);

-- The statement's delta, new rows counted up and old rows down, grouped by
-- key; the transition tables are visible only in the trigger function
-- itself, so each function spells its upsert out.
CREATE FUNCTION activity_day_totals_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO activity_day_totals AS d (agreement_id, activity_date, type_id, occasions, minutes,
                                          women, men, non_binary, children, volunteer_minutes)
    SELECT agreement_id, activity_date, type_id, sum(n), sum(minutes), sum(women), sum(men),
           sum(non_binary), sum(children), sum(volunteer_minutes)
    FROM (SELECT agreement_id, activity_date, type_id, 1::bigint AS n, duration_minutes::bigint AS minutes,
                 women::bigint AS women, men::bigint AS men, non_binary::bigint AS non_binary,
                 children::bigint AS children, volunteer_minutes::bigint AS volunteer_minutes
          FROM activity_day_totals_new) x
    GROUP BY agreement_id, activity_date, type_id
    HAVING sum(n) <> 0 OR sum(minutes) <> 0 OR sum(women) <> 0 OR sum(men) <> 0
        OR sum(non_binary) <> 0 OR sum(children) <> 0 OR sum(volunteer_minutes) <> 0
    ORDER BY agreement_id, activity_date, type_id
    ON CONFLICT (agreement_id, activity_date, type_id) DO UPDATE SET
        occasions = d.occasions + excluded.occasions, minutes = d.minutes + excluded.minutes,
        women = d.women + excluded.women, men = d.men + excluded.men,
        non_binary = d.non_binary + excluded.non_binary, children = d.children + excluded.children,
        volunteer_minutes = d.volunteer_minutes + excluded.volunteer_minutes;
    RETURN NULL;
END $$;

CREATE FUNCTION activity_day_totals_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO activity_day_totals AS d (agreement_id, activity_date, type_id, occasions, minutes,
                                          women, men, non_binary, children, volunteer_minutes)
    SELECT agreement_id, activity_date, type_id, sum(n), sum(minutes), sum(women), sum(men),
           sum(non_binary), sum(children), sum(volunteer_minutes)
    FROM (SELECT agreement_id, activity_date, type_id, 1::bigint AS n, duration_minutes::bigint AS minutes,
                 women::bigint AS women, men::bigint AS men, non_binary::bigint AS non_binary,
                 children::bigint AS children, volunteer_minutes::bigint AS volunteer_minutes
          FROM activity_day_totals_new
          UNION ALL
          SELECT agreement_id, activity_date, type_id, -1::bigint AS n, -duration_minutes::bigint AS minutes,
                 -women::bigint AS women, -men::bigint AS men, -non_binary::bigint AS non_binary,
                 -children::bigint AS children, -volunteer_minutes::bigint AS volunteer_minutes
          FROM activity_day_totals_old) x
    GROUP BY agreement_id, activity_date, type_id
    HAVING sum(n) <> 0 OR sum(minutes) <> 0 OR sum(women) <> 0 OR sum(men) <> 0
        OR sum(non_binary) <> 0 OR sum(children) <> 0 OR sum(volunteer_minutes) <> 0
    ORDER BY agreement_id, activity_date, type_id
    ON CONFLICT (agreement_id, activity_date, type_id) DO UPDATE SET
        occasions = d.occasions + excluded.occasions, minutes = d.minutes + excluded.minutes,
        women = d.women + excluded.women, men = d.men + excluded.men,
        non_binary = d.non_binary + excluded.non_binary, children = d.children + excluded.children,
        volunteer_minutes = d.volunteer_minutes + excluded.volunteer_minutes;
    DELETE FROM activity_day_totals d
    USING (SELECT DISTINCT agreement_id, activity_date, type_id FROM activity_day_totals_old) o
    WHERE d.agreement_id = o.agreement_id AND d.activity_date = o.activity_date AND d.type_id = o.type_id
      AND d.occasions = 0;
    RETURN NULL;
END $$;

CREATE FUNCTION activity_day_totals_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO activity_day_totals AS d (agreement_id, activity_date, type_id, occasions, minutes,
                                          women, men, non_binary, children, volunteer_minutes)
    SELECT agreement_id, activity_date, type_id, sum(n), sum(minutes), sum(women), sum(men),
           sum(non_binary), sum(children), sum(volunteer_minutes)
    FROM (SELECT agreement_id, activity_date, type_id, -1::bigint AS n, -duration_minutes::bigint AS minutes,
                 -women::bigint AS women, -men::bigint AS men, -non_binary::bigint AS non_binary,
                 -children::bigint AS children, -volunteer_minutes::bigint AS volunteer_minutes
          FROM activity_day_totals_old) x
    GROUP BY agreement_id, activity_date, type_id
    HAVING sum(n) <> 0 OR sum(minutes) <> 0 OR sum(women) <> 0 OR sum(men) <> 0
        OR sum(non_binary) <> 0 OR sum(children) <> 0 OR sum(volunteer_minutes) <> 0
    ORDER BY agreement_id, activity_date, type_id
    ON CONFLICT (agreement_id, activity_date, type_id) DO UPDATE SET
        occasions = d.occasions + excluded.occasions, minutes = d.minutes + excluded.minutes,
        women = d.women + excluded.women, men = d.men + excluded.men,
        non_binary = d.non_binary + excluded.non_binary, children = d.children + excluded.children,
        volunteer_minutes = d.volunteer_minutes + excluded.volunteer_minutes;
    DELETE FROM activity_day_totals d
    USING (SELECT DISTINCT agreement_id, activity_date, type_id FROM activity_day_totals_old) o
    WHERE d.agreement_id = o.agreement_id AND d.activity_date = o.activity_date AND d.type_id = o.type_id
      AND d.occasions = 0;
    RETURN NULL;
END $$;

CREATE TRIGGER activity_day_totals_insert AFTER INSERT ON activities
    REFERENCING NEW TABLE AS activity_day_totals_new
    FOR EACH STATEMENT EXECUTE FUNCTION activity_day_totals_insert();
CREATE TRIGGER activity_day_totals_update AFTER UPDATE ON activities
    REFERENCING OLD TABLE AS activity_day_totals_old NEW TABLE AS activity_day_totals_new
    FOR EACH STATEMENT EXECUTE FUNCTION activity_day_totals_update();
CREATE TRIGGER activity_day_totals_delete AFTER DELETE ON activities
    REFERENCING OLD TABLE AS activity_day_totals_old
    FOR EACH STATEMENT EXECUTE FUNCTION activity_day_totals_delete();

INSERT INTO activity_day_totals (agreement_id, activity_date, type_id, occasions, minutes, women, men,
                                 non_binary, children, volunteer_minutes)
SELECT agreement_id, activity_date, type_id, count(*), sum(duration_minutes), sum(women), sum(men),
       sum(non_binary), sum(children), sum(volunteer_minutes)
FROM activities
GROUP BY agreement_id, activity_date, type_id
ORDER BY agreement_id, activity_date, type_id;
ANALYZE activity_day_totals;

-- The attendance choices of an activity form: an agreement's participants
-- who were ever enrolled, by code, with what the form shows and the
-- enrolment check needs (an index-only scan in code order, so the quick log
-- form on the list page stops after its first few dozen).
CREATE INDEX participants_enrolled_code_idx ON participants (agreement_id, code)
    INCLUDE (id, cohort, gender, enrolled_on, exited_on) WHERE enrolled_on IS NOT NULL;
