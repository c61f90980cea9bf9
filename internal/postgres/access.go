package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// AttendedActivity is an activity a participant is named as attending:
// its date and type, nothing about the others who were there.
type AttendedActivity struct {
	Date time.Time
	Type string
}

// AttendedActivities returns the activities the participant is named in,
// by date.
func (s *Participants) AttendedActivities(ctx context.Context, participantID int64) ([]AttendedActivity, error) {
	rows, _ := s.db.Query(ctx, `SELECT a.activity_date, t.name FROM activity_participants ap
		JOIN activities a ON a.id = ap.activity_id JOIN activity_types t ON t.id = a.type_id
		WHERE ap.participant_id = $1 ORDER BY a.activity_date, a.id`, participantID)
	list, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (AttendedActivity, error) {
		var a AttendedActivity
		err := row.Scan(&a.Date, &a.Type)
		return a, err
	})
	if err != nil {
		return nil, fmt.Errorf("activities attended by participant %d: %w", participantID, err)
	}
	return list, nil
}

// NamedRating is one rating of an assessment with its dimension's name.
type NamedRating struct {
	AssessmentID int64
	AssessedOn   time.Time
	Dimension    string
	Rating       int
}

// NamedRatings returns the participant's assessments' ratings with the
// dimension names, by date and the model's order.
func (s *Participants) NamedRatings(ctx context.Context, participantID int64) ([]NamedRating, error) {
	rows, _ := s.db.Query(ctx, `SELECT a.id, a.assessed_on, d.name, r.rating FROM assessments a
		JOIN assessment_ratings r ON r.assessment_id = a.id JOIN step_dimensions d ON d.id = r.dimension_id
		WHERE a.participant_id = $1 ORDER BY a.assessed_on, a.id, d.position, d.id`, participantID)
	list, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (NamedRating, error) {
		var r NamedRating
		err := row.Scan(&r.AssessmentID, &r.AssessedOn, &r.Dimension, &r.Rating)
		return r, err
	})
	if err != nil {
		return nil, fmt.Errorf("assessments of participant %d: %w", participantID, err)
	}
	return list, nil
}
