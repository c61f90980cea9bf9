package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"iop/internal/partnership"
)

// Deadlines reads what deadlines are computed from that other stores do
// not read in one go: open action items and open follow-ups of an
// agreement. Tenancy is decided by the deadline service.
type Deadlines struct{ db DBTX }

// NewDeadlines returns a deadline store on db (a pool or a transaction).
func NewDeadlines(db DBTX) *Deadlines { return &Deadlines{db: db} }

// OpenActionItems returns the agreement's meetings that have open action
// items with a due date, each with only those items.
func (s *Deadlines) OpenActionItems(ctx context.Context, agreementID int64) ([]partnership.Meeting, error) {
	rows, _ := s.db.Query(ctx, `SELECT i.meeting_id, i.id, i.text, i.due_on
		FROM meeting_action_items i JOIN meetings m ON m.id = i.meeting_id
		WHERE m.agreement_id = $1 AND i.done_on IS NULL AND i.due_on IS NOT NULL
		ORDER BY i.due_on, i.id`, agreementID)
	var out []partnership.Meeting
	index := map[int64]int{}
	var meetingID, id int64
	var text string
	var due time.Time
	_, err := pgx.ForEachRow(rows, []any{&meetingID, &id, &text, &due}, func() error {
		i, ok := index[meetingID]
		if !ok {
			i = len(out)
			index[meetingID] = i
			out = append(out, partnership.Meeting{ID: meetingID, AgreementID: agreementID})
		}
		d := due
		out[i].ActionItems = append(out[i].ActionItems, partnership.ActionItem{ID: id, MeetingID: meetingID, Text: text, DueOn: &d})
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("open action items of agreement %d: %w", agreementID, err)
	}
	return out, nil
}

// OpenFollowUps returns the agreement's follow-ups not yet recorded, by
// due date, the participant only by code.
func (s *Deadlines) OpenFollowUps(ctx context.Context, agreementID int64) ([]partnership.OpenFollowUp, error) {
	rows, _ := s.db.Query(ctx, `SELECT f.id, f.agreement_id, p.code AS participant_code, f.months, f.due_on
		FROM followups f JOIN participants p ON p.id = f.participant_id
		WHERE f.agreement_id = $1 AND f.done_on IS NULL
		ORDER BY f.due_on, f.id`, agreementID)
	list, err := pgx.CollectRows(rows, pgx.RowToStructByName[partnership.OpenFollowUp])
	if err != nil {
		return nil, fmt.Errorf("open follow-ups of agreement %d: %w", agreementID, err)
	}
	return list, nil
}

// ReminderRecipients are the active users, by id.
func (s *Deadlines) ReminderRecipients(ctx context.Context) ([]partnership.User, error) {
	rows, _ := s.db.Query(ctx, `SELECT `+userColumns+` FROM users WHERE active ORDER BY id`)
	list, err := pgx.CollectRows(rows, rowTo(userRow.user))
	if err != nil {
		return nil, fmt.Errorf("reminder recipients: %w", err)
	}
	return list, nil
}

// ClaimReminder records that the user's digest of day is being sent and
// reports false when it already was: the unique key of sent_reminders
// makes a second claim of the same user and day a no-op.
func (s *Deadlines) ClaimReminder(ctx context.Context, userID int64, day time.Time, deadlines int) (bool, error) {
	tag, err := s.db.Exec(ctx, `INSERT INTO sent_reminders (user_id, sent_on, deadlines) VALUES ($1, $2, $3)
		ON CONFLICT (user_id, sent_on) DO NOTHING`, userID, day, deadlines)
	if err != nil {
		return false, fmt.Errorf("claim reminder of user %d: %w", userID, err)
	}
	return tag.RowsAffected() == 1, nil
}

// ReminderLockKey is the advisory lock key of the daily reminder job.
const ReminderLockKey int64 = 0x494f50_52454d44 // "IOP" "REMD"
