package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"iop/internal/partnership"
)

// Plans stores participants' IUP goals. Tenancy, and who may read the
// goal texts, is decided by the plan service before the store is called.
type Plans struct{ db DBTX }

// NewPlans returns a plan store on db (a pool or a transaction).
func NewPlans(db DBTX) *Plans { return &Plans{db: db} }

const goalColumns = `id, participant_id, term, text, follow_up_on, status, outcome_on, outcome_note`

type goalRow struct {
	ID            int64
	ParticipantID int64
	Term          string
	Text          string
	FollowUpOn    time.Time
	Status        string
	OutcomeOn     *time.Time
	OutcomeNote   string
}

func (r goalRow) goal() partnership.Goal {
	return partnership.Goal{ID: r.ID, ParticipantID: r.ParticipantID, Term: partnership.GoalTerm(r.Term), Text: r.Text,
		FollowUpOn: r.FollowUpOn, Status: partnership.GoalStatus(r.Status), OutcomeOn: r.OutcomeOn, OutcomeNote: r.OutcomeNote}
}

// AddGoal inserts the goal, in progress, created by the user.
func (s *Plans) AddGoal(ctx context.Context, g partnership.Goal, by *int64) (partnership.Goal, error) {
	rows, _ := s.db.Query(ctx, `INSERT INTO plan_goals (participant_id, term, text, follow_up_on, created_by)
		VALUES ($1, $2, $3, $4, $5) RETURNING `+goalColumns, g.ParticipantID, string(g.Term), g.Text, g.FollowUpOn, by)
	saved, err := pgx.CollectExactlyOneRow(rows, rowTo(goalRow.goal))
	if err != nil {
		return saved, fmt.Errorf("add goal to participant %d: %w", g.ParticipantID, mapError(err))
	}
	return saved, nil
}

// GoalForUpdate returns the goal and locks it until the transaction ends.
func (s *Plans) GoalForUpdate(ctx context.Context, id int64) (partnership.Goal, error) {
	rows, _ := s.db.Query(ctx, `SELECT `+goalColumns+` FROM plan_goals WHERE id = $1 FOR UPDATE`, id)
	g, err := pgx.CollectExactlyOneRow(rows, rowTo(goalRow.goal))
	if err != nil {
		return g, fmt.Errorf("goal %d: %w", id, mapError(err))
	}
	return g, nil
}

// SaveOutcome stores the goal's status, outcome date and note.
func (s *Plans) SaveOutcome(ctx context.Context, g partnership.Goal) error {
	tag, err := s.db.Exec(ctx, `UPDATE plan_goals SET status = $2, outcome_on = $3, outcome_note = $4 WHERE id = $1`,
		g.ID, string(g.Status), g.OutcomeOn, g.OutcomeNote)
	if err != nil {
		return fmt.Errorf("save outcome of goal %d: %w", g.ID, err)
	}
	if tag.RowsAffected() == 0 {
		return fmt.Errorf("goal %d: %w", g.ID, partnership.ErrNotFound)
	}
	return nil
}

// Goals returns the participant's goals by follow-up date.
func (s *Plans) Goals(ctx context.Context, participantID int64) ([]partnership.Goal, error) {
	rows, _ := s.db.Query(ctx, `SELECT `+goalColumns+` FROM plan_goals WHERE participant_id = $1
		ORDER BY follow_up_on, id`, participantID)
	list, err := pgx.CollectRows(rows, rowTo(goalRow.goal))
	if err != nil {
		return nil, fmt.Errorf("goals of participant %d: %w", participantID, err)
	}
	return list, nil
}

// GoalCount is how many of a participant's goals have a status.
type GoalCount struct {
	Status partnership.GoalStatus
	Count  int
}

// GoalCounts counts the participant's goals per status.
func (s *Plans) GoalCounts(ctx context.Context, participantID int64) ([]GoalCount, error) {
	rows, _ := s.db.Query(ctx, `SELECT status, count(*)::int FROM plan_goals WHERE participant_id = $1
		GROUP BY status`, participantID)
	list, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (GoalCount, error) {
		var c GoalCount
		return c, row.Scan(&c.Status, &c.Count)
	})
	if err != nil {
		return nil, fmt.Errorf("goal counts of participant %d: %w", participantID, err)
	}
	return list, nil
}

// OverdueGoal is a goal whose follow-up is overdue, with its participant's code.
type OverdueGoal struct {
	Goal            partnership.Goal
	ParticipantCode string
}

// OverdueGoals returns the agreement's goals whose follow-up date lies
// before today with no outcome recorded, oldest first. Goals of exited
// participants stay listed until their outcome is recorded: the plan is
// closed by following it up, not by the exit.
func (s *Plans) OverdueGoals(ctx context.Context, agreementID int64, today time.Time) ([]OverdueGoal, error) {
	rows, _ := s.db.Query(ctx, `SELECT g.id, g.participant_id, g.term, g.text, g.follow_up_on, g.status, g.outcome_on,
		g.outcome_note, p.code
		FROM plan_goals g JOIN participants p ON p.id = g.participant_id
		WHERE p.agreement_id = $1 AND g.outcome_on IS NULL AND g.follow_up_on < $2
		ORDER BY g.follow_up_on, p.code, g.id`, agreementID, today)
	list, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (OverdueGoal, error) {
		var o OverdueGoal
		var r goalRow
		err := row.Scan(&r.ID, &r.ParticipantID, &r.Term, &r.Text, &r.FollowUpOn, &r.Status, &r.OutcomeOn, &r.OutcomeNote, &o.ParticipantCode)
		o.Goal = r.goal()
		return o, err
	})
	if err != nil {
		return nil, fmt.Errorf("overdue goals of agreement %d: %w", agreementID, err)
	}
	return list, nil
}
