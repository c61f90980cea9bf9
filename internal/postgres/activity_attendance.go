package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"iop/internal/partnership"
)

// attendeeColumns read a participant as partnership.Attendee: the code and
// the fields attendance needs, never the sealed identity.
const attendeeColumns = `id, agreement_id, code, cohort, gender, enrolled_on, exited_on`

type attendeeRow struct {
	ID          int64
	AgreementID int64
	Code        string
	Cohort      string
	Gender      string
	EnrolledOn  *time.Time
	ExitedOn    *time.Time
}

func (r attendeeRow) attendee() partnership.Attendee {
	return partnership.Attendee{ID: r.ID, AgreementID: r.AgreementID, Code: r.Code, Cohort: r.Cohort,
		Gender: partnership.Gender(r.Gender), EnrolledOn: r.EnrolledOn, ExitedOn: r.ExitedOn}
}

// Attendees reads the participants with the ids, of any agreement, for
// checking named attendance; ids not found are left out. The rows are
// share-locked until the transaction ends, so that an exit recorded
// meanwhile cannot slip under the check.
func (s *Activities) Attendees(ctx context.Context, ids []int64) ([]partnership.Attendee, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	rows, _ := s.db.Query(ctx, `SELECT `+attendeeColumns+` FROM participants WHERE id = ANY($1)
		ORDER BY id FOR SHARE`, ids)
	list, err := pgx.CollectRows(rows, rowTo(attendeeRow.attendee))
	if err != nil {
		return nil, fmt.Errorf("read %d attendees: %w", len(ids), err)
	}
	return list, nil
}

// EnrolledAttendees lists, by code, the agreement's participants enrolled
// on day (partnership.Attendee.EnrolledAt) and those of also, which a form
// has ticked already: the choices of the attendance fieldset, bounded by
// who was enrolled that day so that the form stays light.
func (s *Activities) EnrolledAttendees(ctx context.Context, agreementID int64, day time.Time, also []int64) ([]partnership.Attendee, error) {
	if also == nil {
		also = []int64{}
	}
	rows, _ := s.db.Query(ctx, `SELECT `+attendeeColumns+` FROM participants
		WHERE agreement_id = $1
		  AND ((enrolled_on <= $2 AND (exited_on IS NULL OR exited_on >= $2)) OR id = ANY($3))
		ORDER BY code`, agreementID, day, also)
	list, err := pgx.CollectRows(rows, rowTo(attendeeRow.attendee))
	if err != nil {
		return nil, fmt.Errorf("participants of agreement %d enrolled on %s: %w", agreementID, day.Format(time.DateOnly), err)
	}
	return list, nil
}

// EnrolledAttendeesUpTo lists, by code, at most limit of the agreement's
// participants enrolled on day, for a quick log form, and reports whether
// more are enrolled: the form then links to the full one instead of
// listing only some. It walks the enrolled participants in code order
// (participants_enrolled_code_idx) and stops after limit+1.
func (s *Activities) EnrolledAttendeesUpTo(ctx context.Context, agreementID int64, day time.Time, limit int) ([]partnership.Attendee, bool, error) {
	rows, _ := s.db.Query(ctx, `SELECT `+attendeeColumns+` FROM participants
		WHERE agreement_id = $1 AND enrolled_on IS NOT NULL
		  AND enrolled_on <= $2 AND (exited_on IS NULL OR exited_on >= $2)
		ORDER BY code LIMIT $3`, agreementID, day, limit+1)
	list, err := pgx.CollectRows(rows, rowTo(attendeeRow.attendee))
	if err != nil {
		return nil, false, fmt.Errorf("participants of agreement %d enrolled on %s: %w", agreementID, day.Format(time.DateOnly), err)
	}
	if len(list) > limit {
		return list[:limit], true, nil
	}
	return list, false, nil
}

// ParticipantIDs returns the participants named as attending the
// activity, by id; none when its attendance is only counted.
func (s *Activities) ParticipantIDs(ctx context.Context, activityID int64) ([]int64, error) {
	rows, _ := s.db.Query(ctx, `SELECT participant_id FROM activity_participants WHERE activity_id = $1
		ORDER BY participant_id`, activityID)
	ids, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	if err != nil {
		return nil, fmt.Errorf("participants of activity %d: %w", activityID, err)
	}
	return ids, nil
}

// SetParticipants replaces the participants named as attending the
// activity with ids (none clears them). The caller has checked them.
func (s *Activities) SetParticipants(ctx context.Context, activityID int64, ids []int64) error {
	if _, err := s.db.Exec(ctx, `DELETE FROM activity_participants WHERE activity_id = $1`, activityID); err != nil {
		return fmt.Errorf("clear participants of activity %d: %w", activityID, err)
	}
	if len(ids) == 0 {
		return nil
	}
	if _, err := s.db.Exec(ctx, `INSERT INTO activity_participants (activity_id, participant_id)
		SELECT $1, unnest($2::bigint[])`, activityID, ids); err != nil {
		return fmt.Errorf("name %d participants of activity %d: %w", len(ids), activityID, mapError(err))
	}
	return nil
}

// SessionsPerParticipant returns, for each activity type of the agreement
// with a target per participant and each participant enrolled at some
// time during year (partnership.Participant.ActiveIn), what the
// participant took part in of the type in year by named attendance: the
// number of activities, or their minutes for an hour-typed type. Ordered
// by the types' position, then by code.
func (s *Activities) SessionsPerParticipant(ctx context.Context, agreementID int64, year int) ([]partnership.ParticipantSessions, error) {
	rows, _ := s.db.Query(ctx, `SELECT t.id AS type_id, p.id AS participant_id, p.code, p.cohort,
		  CASE WHEN t.unit = 'hours' THEN coalesce(sum(a.duration_minutes), 0) ELSE count(a.id) END AS done
		FROM activity_types t
		JOIN participants p ON p.agreement_id = t.agreement_id
		 AND p.enrolled_on < make_date($2 + 1, 1, 1) AND (p.exited_on IS NULL OR p.exited_on >= make_date($2, 1, 1))
		LEFT JOIN (activity_participants ap
		           JOIN activities a ON a.id = ap.activity_id
		            AND a.activity_date >= make_date($2, 1, 1) AND a.activity_date < make_date($2 + 1, 1, 1))
		  ON ap.participant_id = p.id AND a.agreement_id = t.agreement_id AND a.type_id = t.id
		WHERE t.agreement_id = $1 AND t.per_participant_min IS NOT NULL
		GROUP BY t.id, p.id
		ORDER BY t.position, t.id, p.code`, agreementID, year)
	list, err := pgx.CollectRows(rows, pgx.RowToStructByName[partnership.ParticipantSessions])
	if err != nil {
		return nil, fmt.Errorf("sessions per participant of agreement %d in %d: %w", agreementID, year, err)
	}
	return list, nil
}
