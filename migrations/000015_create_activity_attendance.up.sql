-- Named attendance: the enrolled participants who took part in an activity.
-- When an activity names participants, its gender counts are computed from
-- them (partnership.CountAttendees); the links are what the progress per
-- participant (e.g. 2–3 coaching sessions each) is counted from. The use
-- case checks that each participant belongs to the activity's agreement and
-- was enrolled on its date; the keys only keep the rows pointing somewhere.
CREATE TABLE activity_participants (
    activity_id    BIGINT NOT NULL REFERENCES activities (id) ON DELETE CASCADE,
    -- Cascade: erasing a participant (retention, a mistaken registration)
    -- must not be blocked by attendance; the activity keeps its counts.
    participant_id BIGINT NOT NULL REFERENCES participants (id) ON DELETE CASCADE,
    PRIMARY KEY (activity_id, participant_id)
);

-- Sessions per participant, and the cascade when a participant is erased.
CREATE INDEX activity_participants_participant_idx ON activity_participants (participant_id, activity_id);
