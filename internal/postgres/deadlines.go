package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"iop/internal/partnership"
)

// Deadlines reads what deadlines are computed from, for all the agreements
// a user may see at once (see Inputs), and keeps the reminder job's
// records. Inputs reads only the agreements the user may see.
type Deadlines struct{ db DBTX }

// NewDeadlines returns a deadline store on db (a pool or a transaction).
func NewDeadlines(db DBTX) *Deadlines { return &Deadlines{db: db} }

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
