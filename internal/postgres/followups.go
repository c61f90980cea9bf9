package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"iop/internal/partnership"
)

// FollowUps stores the follow-up schedules of agreements and the
// follow-ups of exited participants. Tenancy is decided by the follow-up
// service before the store is called.
type FollowUps struct{ db DBTX }

// NewFollowUps returns a follow-up store on db (a pool or a transaction).
func NewFollowUps(db DBTX) *FollowUps { return &FollowUps{db: db} }

// Schedule returns the agreement's follow-up months, ascending; the
// default when the agreement has none of its own.
func (s *FollowUps) Schedule(ctx context.Context, agreementID int64) ([]int, error) {
	var months []int32
	err := s.db.QueryRow(ctx, `SELECT months FROM followup_schedules WHERE agreement_id = $1`, agreementID).Scan(&months)
	if errors.Is(err, pgx.ErrNoRows) {
		return append([]int(nil), partnership.DefaultFollowUpMonths...), nil
	}
	if err != nil {
		return nil, fmt.Errorf("follow-up schedule of agreement %d: %w", agreementID, err)
	}
	out := make([]int, len(months))
	for i, m := range months {
		out[i] = int(m)
	}
	return out, nil
}

// SetSchedule stores the agreement's follow-up months (checked by the
// caller).
func (s *FollowUps) SetSchedule(ctx context.Context, agreementID int64, months []int) error {
	_, err := s.db.Exec(ctx, `INSERT INTO followup_schedules (agreement_id, months) VALUES ($1, $2)
		ON CONFLICT (agreement_id) DO UPDATE SET months = EXCLUDED.months, updated_at = now()`, agreementID, months)
	if err != nil {
		return fmt.Errorf("set follow-up schedule of agreement %d: %w", agreementID, mapError(err))
	}
	return nil
}

// Reschedule makes the participant's open follow-ups match its exit: the
// ones not yet recorded are removed and, when the participant has exited,
// created anew from the agreement's schedule; recorded ones are kept as
// they are, and no second follow-up is made for a month already recorded.
// It returns the months created.
func (s *FollowUps) Reschedule(ctx context.Context, p partnership.Participant) ([]int, error) {
	if _, err := s.db.Exec(ctx, `DELETE FROM followups WHERE participant_id = $1 AND done_on IS NULL`, p.ID); err != nil {
		return nil, fmt.Errorf("remove open follow-ups of participant %d: %w", p.ID, err)
	}
	if p.ExitedOn == nil {
		return nil, nil
	}
	months, err := s.Schedule(ctx, p.AgreementID)
	if err != nil {
		return nil, err
	}
	var created []int
	for _, m := range months {
		tag, err := s.db.Exec(ctx, `INSERT INTO followups (participant_id, agreement_id, months, due_on)
			VALUES ($1, $2, $3, $4) ON CONFLICT (participant_id, months) DO NOTHING`,
			p.ID, p.AgreementID, m, partnership.FollowUpDue(*p.ExitedOn, m))
		if err != nil {
			return nil, fmt.Errorf("create follow-up of participant %d at %d months: %w", p.ID, m, err)
		}
		if tag.RowsAffected() == 1 {
			created = append(created, m)
		}
	}
	return created, nil
}

const followUpColumns = `id, participant_id, agreement_id, months, due_on, done_on, destination, self_supporting,
	note, recorded_by, recorded_at`

type followUpRow struct {
	ID             int64
	ParticipantID  int64
	AgreementID    int64
	Months         int
	DueOn          time.Time
	DoneOn         *time.Time
	Destination    *string
	SelfSupporting *string
	Note           string
	RecordedBy     *int64
	RecordedAt     *time.Time
}

func (r followUpRow) followUp() partnership.FollowUp {
	f := partnership.FollowUp{ID: r.ID, ParticipantID: r.ParticipantID, AgreementID: r.AgreementID, Months: r.Months,
		DueOn: r.DueOn, DoneOn: r.DoneOn, Note: r.Note, RecordedBy: r.RecordedBy, RecordedAt: r.RecordedAt}
	if r.Destination != nil {
		f.Destination = partnership.ExitDestination(*r.Destination)
	}
	if r.SelfSupporting != nil {
		f.SelfSupporting = partnership.SelfSupporting(*r.SelfSupporting)
	}
	return f
}

// ByID returns the follow-up, locked for update when forUpdate.
func (s *FollowUps) ByID(ctx context.Context, id int64, forUpdate bool) (partnership.FollowUp, error) {
	sql := `SELECT ` + followUpColumns + ` FROM followups WHERE id = $1`
	if forUpdate {
		sql += ` FOR UPDATE`
	}
	rows, _ := s.db.Query(ctx, sql, id)
	f, err := pgx.CollectExactlyOneRow(rows, rowTo(followUpRow.followUp))
	if err != nil {
		return partnership.FollowUp{}, fmt.Errorf("follow-up %d: %w", id, mapError(err))
	}
	return f, nil
}

// ForParticipant lists the participant's follow-ups by month.
func (s *FollowUps) ForParticipant(ctx context.Context, participantID int64) ([]partnership.FollowUp, error) {
	rows, _ := s.db.Query(ctx, `SELECT `+followUpColumns+` FROM followups WHERE participant_id = $1 ORDER BY months`, participantID)
	list, err := pgx.CollectRows(rows, rowTo(followUpRow.followUp))
	if err != nil {
		return nil, fmt.Errorf("follow-ups of participant %d: %w", participantID, err)
	}
	return list, nil
}

// Record stores the outcome of the follow-up, by the user recordedBy.
func (s *FollowUps) Record(ctx context.Context, id int64, o partnership.FollowUpOutcome, recordedBy *int64) (partnership.FollowUp, error) {
	rows, _ := s.db.Query(ctx, `UPDATE followups SET done_on = $2, destination = $3, self_supporting = $4, note = $5,
		recorded_by = $6, recorded_at = now() WHERE id = $1 RETURNING `+followUpColumns,
		id, o.DoneOn, string(o.Destination), string(o.SelfSupporting), o.Note, recordedBy)
	f, err := pgx.CollectExactlyOneRow(rows, rowTo(followUpRow.followUp))
	if err != nil {
		return partnership.FollowUp{}, fmt.Errorf("record follow-up %d: %w", id, mapError(err))
	}
	return f, nil
}

// Overdue lists the agreement's follow-ups due before today and not
// recorded, the longest overdue first.
func (s *FollowUps) Overdue(ctx context.Context, agreementID int64, today time.Time) ([]partnership.OverdueFollowUp, error) {
	rows, _ := s.db.Query(ctx, `SELECT f.id AS follow_up_id, f.participant_id, p.code, f.months, p.exited_on, f.due_on
		FROM followups f JOIN participants p ON p.id = f.participant_id
		WHERE f.agreement_id = $1 AND f.done_on IS NULL AND f.due_on < $2
		ORDER BY f.due_on, p.code, f.months`, agreementID, today)
	list, err := pgx.CollectRows(rows, pgx.RowToStructByName[partnership.OverdueFollowUp])
	if err != nil {
		return nil, fmt.Errorf("overdue follow-ups of agreement %d: %w", agreementID, err)
	}
	return list, nil
}

// CountOverdue counts, per agreement of the organisation's (or of all
// agreements when organisationID is nil), the follow-ups due before today
// and not recorded; agreements with none are left out.
func (s *FollowUps) CountOverdue(ctx context.Context, organisationID *int64, today time.Time) (map[int64]int, error) {
	rows, err := s.db.Query(ctx, `SELECT f.agreement_id, count(*) FROM followups f
		WHERE f.done_on IS NULL AND f.due_on < $2
		  AND ($1::bigint IS NULL OR EXISTS (SELECT 1 FROM agreement_parties ap
				WHERE ap.agreement_id = f.agreement_id AND ap.organisation_id = $1))
		GROUP BY f.agreement_id`, organisationID, today)
	if err != nil {
		return nil, fmt.Errorf("count overdue follow-ups: %w", err)
	}
	out := map[int64]int{}
	var id int64
	var n int
	_, err = pgx.ForEachRow(rows, []any{&id, &n}, func() error { out[id] = n; return nil })
	if err != nil {
		return nil, fmt.Errorf("count overdue follow-ups: %w", err)
	}
	return out, nil
}

// SelfSupportingShares aggregates the agreement's recorded follow-ups per
// exit year and month: how many are recorded and how many found the
// participant self-supporting.
func (s *FollowUps) SelfSupportingShares(ctx context.Context, agreementID int64) ([]partnership.SelfSupportingShare, error) {
	rows, _ := s.db.Query(ctx, `SELECT extract(year FROM p.exited_on)::int AS exit_year, f.months,
			count(*)::int AS recorded, (count(*) FILTER (WHERE f.self_supporting = 'yes'))::int AS self_supporting
		FROM followups f JOIN participants p ON p.id = f.participant_id
		WHERE f.agreement_id = $1 AND f.done_on IS NOT NULL AND p.exited_on IS NOT NULL
		GROUP BY 1, 2 ORDER BY 1 DESC, 2`, agreementID)
	list, err := pgx.CollectRows(rows, pgx.RowToStructByName[partnership.SelfSupportingShare])
	if err != nil {
		return nil, fmt.Errorf("self-supporting shares of agreement %d: %w", agreementID, err)
	}
	return list, nil
}
