package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// Throttles keeps the failed-login counters per account and per client IP.
type Throttles struct{ db DBTX }

// NewThrottles returns a throttle store on db.
func NewThrottles(db DBTX) *Throttles { return &Throttles{db: db} }

// LockedUntil returns when the lock on (scope, key) ends, or the zero time.
func (s *Throttles) LockedUntil(ctx context.Context, scope, key string) (time.Time, error) {
	var until *time.Time
	err := s.db.QueryRow(ctx, `SELECT locked_until FROM login_throttles WHERE scope = $1 AND key = $2`,
		scope, key).Scan(&until)
	if errors.Is(err, pgx.ErrNoRows) || until == nil {
		return time.Time{}, nil
	}
	if err != nil {
		return time.Time{}, fmt.Errorf("read login throttle: %w", err)
	}
	return *until, nil
}

// RecordFailure counts a failed login at now. Failures older than
// windowStart are forgotten first. It returns the count including this one.
func (s *Throttles) RecordFailure(ctx context.Context, scope, key string, now, windowStart time.Time) (int, error) {
	var failures int
	err := s.db.QueryRow(ctx, `
		INSERT INTO login_throttles AS t (scope, key, failures, last_failure) VALUES ($1, $2, 1, $3)
		ON CONFLICT (scope, key) DO UPDATE SET
			failures = CASE WHEN t.last_failure < $4 THEN 1 ELSE t.failures + 1 END,
			last_failure = $3
		RETURNING failures`, scope, key, now, windowStart).Scan(&failures)
	if err != nil {
		return 0, fmt.Errorf("record login failure: %w", err)
	}
	return failures, nil
}

// Lock refuses logins for (scope, key) until the given time.
func (s *Throttles) Lock(ctx context.Context, scope, key string, until time.Time) error {
	_, err := s.db.Exec(ctx, `UPDATE login_throttles SET locked_until = $3 WHERE scope = $1 AND key = $2`,
		scope, key, until)
	if err != nil {
		return fmt.Errorf("lock login: %w", err)
	}
	return nil
}

// Clear forgets the failures of (scope, key), after a successful login.
func (s *Throttles) Clear(ctx context.Context, scope, key string) error {
	if _, err := s.db.Exec(ctx, `DELETE FROM login_throttles WHERE scope = $1 AND key = $2`, scope, key); err != nil {
		return fmt.Errorf("clear login throttle: %w", err)
	}
	return nil
}
