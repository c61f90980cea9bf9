package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"iop/internal/partnership"
)

// StepModel returns the agreement's step model, partnership.ErrNotFound
// when none is stored yet (the agreement then uses the default).
func (s *Plans) StepModel(ctx context.Context, agreementID int64) (partnership.StepModel, error) {
	m := partnership.StepModel{AgreementID: agreementID}
	err := s.db.QueryRow(ctx, `SELECT name, scale_min, scale_max FROM step_models WHERE agreement_id = $1`, agreementID).
		Scan(&m.Name, &m.ScaleMin, &m.ScaleMax)
	if err != nil {
		return m, fmt.Errorf("step model of agreement %d: %w", agreementID, mapError(err))
	}
	rows, _ := s.db.Query(ctx, `SELECT id, name FROM step_dimensions WHERE agreement_id = $1 ORDER BY position, id`, agreementID)
	m.Dimensions, err = pgx.CollectRows(rows, pgx.RowToStructByName[partnership.Dimension])
	if err != nil {
		return m, fmt.Errorf("dimensions of agreement %d: %w", agreementID, err)
	}
	return m, nil
}

// SaveStepModel stores m as the agreement's model: the name and scale,
// the dimensions with an id renamed and reordered, those without added,
// and stored dimensions missing from m deleted (with their ratings: the
// service allows that only while nothing is assessed).
func (s *Plans) SaveStepModel(ctx context.Context, m partnership.StepModel) (partnership.StepModel, error) {
	if _, err := s.db.Exec(ctx, `INSERT INTO step_models (agreement_id, name, scale_min, scale_max) VALUES ($1, $2, $3, $4)
		ON CONFLICT (agreement_id) DO UPDATE SET name = $2, scale_min = $3, scale_max = $4`,
		m.AgreementID, m.Name, m.ScaleMin, m.ScaleMax); err != nil {
		return m, fmt.Errorf("save step model of agreement %d: %w", m.AgreementID, err)
	}
	keep := []int64{}
	for _, d := range m.Dimensions {
		if d.ID > 0 {
			keep = append(keep, d.ID)
		}
	}
	if _, err := s.db.Exec(ctx, `DELETE FROM step_dimensions WHERE agreement_id = $1 AND NOT (id = ANY($2))`, m.AgreementID, keep); err != nil {
		return m, fmt.Errorf("drop dimensions of agreement %d: %w", m.AgreementID, err)
	}
	// Names are unique per model: park the kept ones first so that two
	// dimensions may swap names.
	if _, err := s.db.Exec(ctx, `UPDATE step_dimensions SET name = '#' || id WHERE agreement_id = $1`, m.AgreementID); err != nil {
		return m, fmt.Errorf("rename dimensions of agreement %d: %w", m.AgreementID, err)
	}
	for i, d := range m.Dimensions {
		var err error
		if d.ID > 0 {
			_, err = s.db.Exec(ctx, `UPDATE step_dimensions SET name = $3, position = $4 WHERE agreement_id = $1 AND id = $2`,
				m.AgreementID, d.ID, d.Name, i)
		} else {
			_, err = s.db.Exec(ctx, `INSERT INTO step_dimensions (agreement_id, position, name) VALUES ($1, $2, $3)`,
				m.AgreementID, i, d.Name)
		}
		if err != nil {
			return m, fmt.Errorf("save dimension of agreement %d: %w", m.AgreementID, mapError(err))
		}
	}
	return s.StepModel(ctx, m.AgreementID)
}

// HasAssessments reports whether any participant of the agreement has an assessment.
func (s *Plans) HasAssessments(ctx context.Context, agreementID int64) (bool, error) {
	var yes bool
	err := s.db.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM assessments a JOIN participants p ON p.id = a.participant_id
		WHERE p.agreement_id = $1)`, agreementID).Scan(&yes)
	if err != nil {
		return false, fmt.Errorf("assessments of agreement %d: %w", agreementID, err)
	}
	return yes, nil
}

// AddAssessment stores the assessment and its ratings, recorded by the user.
func (s *Plans) AddAssessment(ctx context.Context, a partnership.Assessment, by *int64) (partnership.Assessment, error) {
	err := s.db.QueryRow(ctx, `INSERT INTO assessments (participant_id, assessed_on, recorded_by) VALUES ($1, $2, $3)
		RETURNING id`, a.ParticipantID, a.AssessedOn, by).Scan(&a.ID)
	if err != nil {
		return a, fmt.Errorf("add assessment of participant %d: %w", a.ParticipantID, err)
	}
	for dim, r := range a.Ratings {
		if _, err := s.db.Exec(ctx, `INSERT INTO assessment_ratings (assessment_id, dimension_id, rating) VALUES ($1, $2, $3)`,
			a.ID, dim, r); err != nil {
			return a, fmt.Errorf("add rating to assessment %d: %w", a.ID, err)
		}
	}
	return a, nil
}

// Assessments returns the participant's assessments by date with their ratings.
func (s *Plans) Assessments(ctx context.Context, participantID int64) ([]partnership.Assessment, error) {
	rows, _ := s.db.Query(ctx, `SELECT a.id, a.assessed_on, r.dimension_id, r.rating
		FROM assessments a LEFT JOIN assessment_ratings r ON r.assessment_id = a.id
		WHERE a.participant_id = $1 ORDER BY a.assessed_on, a.id`, participantID)
	var out []partnership.Assessment
	var (
		id   int64
		on   time.Time
		dim  *int64
		rate *int
	)
	_, err := pgx.ForEachRow(rows, []any{&id, &on, &dim, &rate}, func() error {
		if len(out) == 0 || out[len(out)-1].ID != id {
			out = append(out, partnership.Assessment{ID: id, ParticipantID: participantID, AssessedOn: on, Ratings: map[int64]int{}})
		}
		if dim != nil && rate != nil {
			out[len(out)-1].Ratings[*dim] = *rate
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("assessments of participant %d: %w", participantID, err)
	}
	return out, nil
}

// ShareMoved is, for an agreement and year, how many participants were
// assessed in the year and how many of them moved at least one step up on
// at least one dimension between their first and their latest assessment
// up to the year's end.
type ShareMoved struct {
	Assessed int
	Moved    int
}

// ShareMoved computes the agreement's ShareMoved for the year in SQL.
func (s *Plans) ShareMoved(ctx context.Context, agreementID int64, year int) (ShareMoved, error) {
	var out ShareMoved
	err := s.db.QueryRow(ctx, `
		WITH rated AS (
			SELECT a.participant_id, r.dimension_id, r.rating,
				row_number() OVER (PARTITION BY a.participant_id, r.dimension_id ORDER BY a.assessed_on, a.id) AS first_rank,
				row_number() OVER (PARTITION BY a.participant_id, r.dimension_id ORDER BY a.assessed_on DESC, a.id DESC) AS last_rank
			FROM assessments a
			JOIN participants p ON p.id = a.participant_id
			JOIN assessment_ratings r ON r.assessment_id = a.id
			WHERE p.agreement_id = $1 AND a.assessed_on < make_date($2, 12, 31) + 1
				AND a.participant_id IN (SELECT participant_id FROM assessments
					WHERE assessed_on BETWEEN make_date($2, 1, 1) AND make_date($2, 12, 31))
		), change AS (
			SELECT participant_id, dimension_id,
				max(rating) FILTER (WHERE last_rank = 1) - max(rating) FILTER (WHERE first_rank = 1) AS steps
			FROM rated GROUP BY participant_id, dimension_id
		)
		SELECT count(DISTINCT participant_id)::int, count(DISTINCT participant_id) FILTER (WHERE steps >= 1)::int FROM change`,
		agreementID, year).Scan(&out.Assessed, &out.Moved)
	if err != nil {
		return out, fmt.Errorf("share moved of agreement %d in %d: %w", agreementID, year, err)
	}
	return out, nil
}

// EnsureStepModel stores m as the agreement's model unless one is stored,
// and locks the agreement's model until the transaction ends: exclusively
// for a change of the model, shared for an assessment, so that no
// assessment is recorded against a model being changed.
func (s *Plans) EnsureStepModel(ctx context.Context, m partnership.StepModel, exclusive bool) (partnership.StepModel, error) {
	tag, err := s.db.Exec(ctx, `INSERT INTO step_models (agreement_id, name, scale_min, scale_max) VALUES ($1, $2, $3, $4)
		ON CONFLICT (agreement_id) DO NOTHING`, m.AgreementID, m.Name, m.ScaleMin, m.ScaleMax)
	if err != nil {
		return m, fmt.Errorf("store default step model of agreement %d: %w", m.AgreementID, err)
	}
	if tag.RowsAffected() == 1 {
		for i, d := range m.Dimensions {
			if _, err := s.db.Exec(ctx, `INSERT INTO step_dimensions (agreement_id, position, name) VALUES ($1, $2, $3)`,
				m.AgreementID, i, d.Name); err != nil {
				return m, fmt.Errorf("store default dimension of agreement %d: %w", m.AgreementID, err)
			}
		}
	}
	lock := "FOR SHARE"
	if exclusive {
		lock = "FOR UPDATE"
	}
	if _, err := s.db.Exec(ctx, `SELECT 1 FROM step_models WHERE agreement_id = $1 `+lock, m.AgreementID); err != nil {
		return m, fmt.Errorf("lock step model of agreement %d: %w", m.AgreementID, err)
	}
	return s.StepModel(ctx, m.AgreementID)
}

// AssessedYears are the years in which the agreement's participants were
// assessed, latest first.
func (s *Plans) AssessedYears(ctx context.Context, agreementID int64) ([]int, error) {
	rows, _ := s.db.Query(ctx, `SELECT DISTINCT extract(year FROM a.assessed_on)::int AS year
		FROM assessments a JOIN participants p ON p.id = a.participant_id
		WHERE p.agreement_id = $1 ORDER BY year DESC`, agreementID)
	years, err := pgx.CollectRows(rows, pgx.RowTo[int])
	if err != nil {
		return nil, fmt.Errorf("assessed years of agreement %d: %w", agreementID, err)
	}
	return years, nil
}
