package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"iop/internal/partnership"
)

// CalendarFeed is one of a user's secret calendar feed addresses; only the
// token's hash is stored.
type CalendarFeed struct {
	ID        int64
	UserID    int64
	CreatedAt time.Time
	RevokedAt *time.Time
}

// CalendarFeeds stores users' calendar feed tokens, hashed.
type CalendarFeeds struct{ db DBTX }

// NewCalendarFeeds returns a calendar feed store on db.
func NewCalendarFeeds(db DBTX) *CalendarFeeds { return &CalendarFeeds{db: db} }

// Create stores a new feed of the user with the token's hash.
func (s *CalendarFeeds) Create(ctx context.Context, userID int64, tokenHash []byte) (CalendarFeed, error) {
	rows, _ := s.db.Query(ctx, `INSERT INTO calendar_feeds (user_id, token_hash) VALUES ($1, $2)
		RETURNING id, user_id, created_at, revoked_at`, userID, tokenHash)
	f, err := pgx.CollectExactlyOneRow(rows, pgx.RowToStructByName[CalendarFeed])
	if err != nil {
		return CalendarFeed{}, fmt.Errorf("create calendar feed of user %d: %w", userID, mapError(err))
	}
	return f, nil
}

// List returns the user's feeds, the newest first.
func (s *CalendarFeeds) List(ctx context.Context, userID int64) ([]CalendarFeed, error) {
	rows, _ := s.db.Query(ctx, `SELECT id, user_id, created_at, revoked_at FROM calendar_feeds
		WHERE user_id = $1 ORDER BY created_at DESC, id DESC`, userID)
	list, err := pgx.CollectRows(rows, pgx.RowToStructByName[CalendarFeed])
	if err != nil {
		return nil, fmt.Errorf("calendar feeds of user %d: %w", userID, err)
	}
	return list, nil
}

// Revoke ends the user's feed id; partnership.ErrNotFound when the user
// has no such feed in use.
func (s *CalendarFeeds) Revoke(ctx context.Context, userID, id int64, at time.Time) error {
	tag, err := s.db.Exec(ctx, `UPDATE calendar_feeds SET revoked_at = $3
		WHERE id = $1 AND user_id = $2 AND revoked_at IS NULL`, id, userID, at)
	if err != nil {
		return fmt.Errorf("revoke calendar feed %d: %w", id, err)
	}
	if tag.RowsAffected() == 0 {
		return partnership.ErrNotFound
	}
	return nil
}

// UserByToken returns the active user whose feed in use has the token
// hash; partnership.ErrNotFound for an unknown or revoked token or a
// disabled user.
func (s *CalendarFeeds) UserByToken(ctx context.Context, tokenHash []byte) (partnership.User, error) {
	rows, _ := s.db.Query(ctx, `SELECT u.id, u.email, u.name, u.role, u.organisation_id, u.active, u.session_epoch,
		       u.last_login_at, u.created_at, u.updated_at
		FROM calendar_feeds f JOIN users u ON u.id = f.user_id
		WHERE f.token_hash = $1 AND f.revoked_at IS NULL AND u.active`, tokenHash)
	u, err := pgx.CollectExactlyOneRow(rows, rowTo(userRow.user))
	if errors.Is(err, pgx.ErrNoRows) {
		return partnership.User{}, partnership.ErrNotFound
	}
	if err != nil {
		return partnership.User{}, fmt.Errorf("calendar feed user: %w", err)
	}
	return u, nil
}
