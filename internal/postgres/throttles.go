package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// Throttles keeps the login throttling counters. The rules that read and
// set them live in package auth; this store only counts, locks and forgets.
type Throttles struct{ db DBTX }

// NewThrottles returns a throttle store on db.
func NewThrottles(db DBTX) *Throttles { return &Throttles{db: db} }

// ThrottleKey names one counter: a scope ("pair", "account" or "ip") and
// the key within it.
type ThrottleKey struct {
	Scope string
	Key   string
}

// ThrottleState is what a login attempt needs to know about one counter.
// Zero times mean "none".
type ThrottleState struct {
	LockedUntil time.Time
	LastSuccess time.Time
}

// States returns the state of each key, in the order given; a key without a
// row has the zero state.
func (s *Throttles) States(ctx context.Context, keys ...ThrottleKey) ([]ThrottleState, error) {
	scopes, names := make([]string, len(keys)), make([]string, len(keys))
	for i, k := range keys {
		scopes[i], names[i] = k.Scope, k.Key
	}
	rows, _ := s.db.Query(ctx, `
		SELECT t.scope, t.key, t.locked_until, t.last_success
		FROM login_throttles t
		JOIN unnest($1::text[], $2::text[]) AS k (scope, key) ON k.scope = t.scope AND k.key = t.key`,
		scopes, names)
	type stateRow struct {
		Scope       string
		Key         string
		LockedUntil *time.Time
		LastSuccess *time.Time
	}
	found, err := pgx.CollectRows(rows, pgx.RowToStructByName[stateRow])
	if err != nil {
		return nil, fmt.Errorf("read login throttles: %w", err)
	}
	states := make([]ThrottleState, len(keys))
	for _, r := range found {
		for i, k := range keys {
			if k.Scope != r.Scope || k.Key != r.Key {
				continue
			}
			if r.LockedUntil != nil {
				states[i].LockedUntil = *r.LockedUntil
			}
			if r.LastSuccess != nil {
				states[i].LastSuccess = *r.LastSuccess
			}
		}
	}
	return states, nil
}

// RecordFailure counts a failed login at now and returns the count
// including this one. Failures before windowStart are forgotten first. The
// row is kept at least until keepUntil.
func (s *Throttles) RecordFailure(ctx context.Context, k ThrottleKey, now, windowStart, keepUntil time.Time) (int, error) {
	var failures int
	err := s.db.QueryRow(ctx, `
		INSERT INTO login_throttles AS t (scope, key, failures, last_failure, keep_until)
		VALUES ($1, $2, 1, $3, $5)
		ON CONFLICT (scope, key) DO UPDATE SET
			failures = CASE WHEN t.last_failure IS NULL OR t.last_failure < $4 THEN 1 ELSE t.failures + 1 END,
			last_failure = $3,
			keep_until = GREATEST(t.keep_until, $5)
		RETURNING failures`, k.Scope, k.Key, now, windowStart, keepUntil).Scan(&failures)
	if err != nil {
		return 0, fmt.Errorf("record login failure (%s): %w", k.Scope, err)
	}
	return failures, nil
}

// Lock refuses logins under k until the given time. A lock never shortens
// one already in place, so that concurrent failures cannot undo each other.
func (s *Throttles) Lock(ctx context.Context, k ThrottleKey, until time.Time) error {
	_, err := s.db.Exec(ctx, `
		UPDATE login_throttles
		SET locked_until = GREATEST(locked_until, $3), keep_until = GREATEST(keep_until, $3)
		WHERE scope = $1 AND key = $2`, k.Scope, k.Key, until)
	if err != nil {
		return fmt.Errorf("lock login (%s): %w", k.Scope, err)
	}
	return nil
}

// RecordSuccess forgets the failures and the lock of k and remembers the
// success at now until keepUntil.
func (s *Throttles) RecordSuccess(ctx context.Context, k ThrottleKey, now, keepUntil time.Time) error {
	_, err := s.db.Exec(ctx, `
		INSERT INTO login_throttles AS t (scope, key, failures, last_success, keep_until)
		VALUES ($1, $2, 0, $3, $4)
		ON CONFLICT (scope, key) DO UPDATE SET
			failures = 0, last_failure = NULL, locked_until = NULL, last_success = $3, keep_until = $4`,
		k.Scope, k.Key, now, keepUntil)
	if err != nil {
		return fmt.Errorf("record login success (%s): %w", k.Scope, err)
	}
	return nil
}

// Prune deletes at most limit rows that no longer matter at now and returns
// how many it deleted. Bounding each call keeps it cheap enough to run on
// every failed login, which is what creates rows; rows another login is
// writing are skipped rather than waited for.
func (s *Throttles) Prune(ctx context.Context, now time.Time, limit int) (int64, error) {
	tag, err := s.db.Exec(ctx, `
		DELETE FROM login_throttles WHERE (scope, key) IN (
			SELECT scope, key FROM login_throttles WHERE keep_until < $1 LIMIT $2 FOR UPDATE SKIP LOCKED)`, now, limit)
	if err != nil {
		return 0, fmt.Errorf("prune login throttles: %w", err)
	}
	return tag.RowsAffected(), nil
}
