// Package retention erases personal data on schedule (gallring, GDPR's
// storage limitation) while keeping the pseudonymous statistics. The
// administrator sets a retention period per kind of data
// (partnership.RetentionPolicy); Purge erases what has expired, by itself
// every day in serve (RunDaily) or from the command line
// (iop privacy purge). Every purge that erases anything writes one audit
// event with counts per kind, never data.
//
// The crypto stays in package privacy; this package holds the use cases, so
// that privacy remains a small library without a database.
package retention

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5"

	"iop/internal/jobruns"
	"iop/internal/partnership"
	"iop/internal/postgres"
)

// ErrBusy means another purge holds the lock.
var ErrBusy = errors.New("retention: another purge holds the lock")

// errDryRun rolls a dry run's transaction back after counting.
var errDryRun = errors.New("retention: dry run")

// Service runs the retention use cases on the database.
type Service struct {
	db  *postgres.DB
	now func() time.Time
}

// NewService returns the retention service on db; now is the clock that
// decides which day it is.
func NewService(db *postgres.DB, now func() time.Time) *Service {
	return &Service{db: db, now: now}
}

// today is the calendar date in Sweden, as a UTC midnight.
func (s *Service) today() time.Time {
	return partnership.Today(s.now())
}

// mayAdminister reports whether the actor may set the policy and purge:
// administrators, and the system itself (the schedule, the command line).
func mayAdminister(actor partnership.Actor) bool {
	return actor.Role == "" || actor.Role == partnership.RoleAdmin
}

// Policy returns the retention policy, for administrators.
func (s *Service) Policy(ctx context.Context, actor partnership.Actor) (partnership.RetentionPolicy, error) {
	if !mayAdminister(actor) {
		return partnership.RetentionPolicy{}, fmt.Errorf("role %q reading the retention policy: %w", actor.Role, partnership.ErrForbidden)
	}
	return postgres.NewRetention(s.db.Pool).Policy(ctx)
}

// SetPolicy stores the retention policy, for administrators, audited with
// the periods before and after.
func (s *Service) SetPolicy(ctx context.Context, actor partnership.Actor, p partnership.RetentionPolicy) error {
	if !mayAdminister(actor) {
		return fmt.Errorf("role %q setting the retention policy: %w", actor.Role, partnership.ErrForbidden)
	}
	if err := p.Validate(); err != nil {
		return err
	}
	return s.db.InTx(ctx, func(tx pgx.Tx) error {
		store := postgres.NewRetention(tx)
		old, err := store.Policy(ctx)
		if err != nil {
			return err
		}
		if err := store.SavePolicy(ctx, p, actor.ActorID()); err != nil {
			return err
		}
		return postgres.NewAudit(tx).Record(ctx, actor.Event("retention.policy.update", "retention_policy", "1", map[string]any{
			"before": months(old), "after": months(p), "via": actor.Via,
		}))
	})
}

func months(p partnership.RetentionPolicy) map[string]int {
	return map[string]int{"identity_months": p.IdentityMonths, "notes_months": p.NotesMonths, "assessment_months": p.AssessmentMonths}
}

// Purge erases what the policy says has expired today and returns the
// counts per kind. It runs in one transaction under the purge's advisory
// lock (ErrBusy when another purge holds it). A dry run counts the same
// way and rolls back: it changes nothing and writes no audit event. A
// purge that erases something writes one audit event "retention.purge"
// with the counts; one that finds nothing expired changes nothing and
// records nothing, so the daily run does not fill the audit log.
func (s *Service) Purge(ctx context.Context, actor partnership.Actor, dryRun bool) (partnership.PurgeCounts, error) {
	if !mayAdminister(actor) {
		return partnership.PurgeCounts{}, fmt.Errorf("role %q purging: %w", actor.Role, partnership.ErrForbidden)
	}
	today := s.today()
	var c partnership.PurgeCounts
	err := s.db.InTx(ctx, func(tx pgx.Tx) error {
		ok, err := postgres.TryAdvisoryLock(ctx, tx, postgres.RetentionLockKey)
		if err != nil {
			return err
		}
		if !ok {
			return ErrBusy
		}
		store := postgres.NewRetention(tx)
		policy, err := store.Policy(ctx)
		if err != nil {
			return err
		}
		if c, err = store.Purge(ctx, today, policy); err != nil {
			return err
		}
		if dryRun {
			return errDryRun
		}
		if c.Total() == 0 {
			return nil
		}
		return postgres.NewAudit(tx).Record(ctx, actor.Event("retention.purge", "retention", today.Format(time.DateOnly),
			map[string]any{"counts": c, "policy": months(policy), "via": actor.Via}))
	})
	if errors.Is(err, errDryRun) {
		err = nil
	}
	if err != nil {
		return partnership.PurgeCounts{}, err
	}
	return c, nil
}

// RunDaily purges at once and then every 24 hours until ctx ends. Several
// app instances may all run it: the advisory lock lets one purge and the
// others skip.
func (s *Service) RunDaily(ctx context.Context, log *slog.Logger) {
	s.RunEvery(ctx, 24*time.Hour, log)
}

// RunEvery is RunDaily with the interval between purges given.
func (s *Service) RunEvery(ctx context.Context, every time.Duration, log *slog.Logger) {
	ticker := time.NewTicker(every)
	defer ticker.Stop()
	for {
		c, err := s.Purge(ctx, partnership.SystemActor("schedule"), false)
		jobruns.Record("retention_purge", err, ErrBusy)
		switch {
		case errors.Is(err, ErrBusy):
			log.Info("scheduled retention purge: another purge holds the lock")
		case err != nil:
			if ctx.Err() == nil {
				log.Error("scheduled retention purge", "error", err)
			}
		default:
			log.Info("scheduled retention purge", "identities", c.Identities, "consents", c.Consents,
				"decline_notes", c.DeclineNotes, "goal_notes", c.GoalNotes, "followup_notes", c.FollowUpNotes,
				"assessments", c.Assessments)
		}
		select {
		case <-ctx.Done():
			return
		case <-ticker.C:
		}
	}
}
