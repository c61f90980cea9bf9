package indexation

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"iop/internal/jobruns"
	"iop/internal/partnership"
)

// CurrentYear is the calendar year of now in Swedish time.
func CurrentYear(now time.Time) int { return now.In(partnership.Stockholm).Year() }

// RunDaily runs the indexation of the current year (in Swedish time) by
// itself: at once, and then every 24 hours until ctx ends, whenever the
// year is not yet materialised for every agreement covering it. Several
// app instances may all run it: the run's advisory lock lets one of them
// work and the others skip. clock is the time source.
func (s *Service) RunDaily(ctx context.Context, clock func() time.Time, log *slog.Logger) {
	s.RunEvery(ctx, 24*time.Hour, clock, log)
}

// RunEvery is RunDaily with the interval between checks given.
func (s *Service) RunEvery(ctx context.Context, every time.Duration, clock func() time.Time, log *slog.Logger) {
	ticker := time.NewTicker(every)
	defer ticker.Stop()
	for {
		s.runIfNeeded(ctx, CurrentYear(clock()), log)
		select {
		case <-ctx.Done():
			return
		case <-ticker.C:
		}
	}
}

// runIfNeeded runs year when it is not materialised and logs the outcome.
func (s *Service) runIfNeeded(ctx context.Context, year int, log *slog.Logger) {
	done, err := s.Materialised(ctx, year)
	if err != nil {
		if ctx.Err() == nil {
			log.Error("scheduled indexation: check", "year", year, "error", err)
		}
		return
	}
	if done {
		log.Debug("scheduled indexation: year already materialised", "year", year)
		return
	}
	rep, err := s.Run(ctx, year, partnership.SystemActor("schedule"))
	jobruns.Record("indexation", err, ErrBusy)
	switch {
	case errors.Is(err, ErrBusy):
		log.Info("scheduled indexation: another run holds the lock", "year", year)
	case err != nil:
		if ctx.Err() == nil {
			log.Error("scheduled indexation", "year", year, "error", err)
		}
	default:
		log.Info("scheduled indexation", "year", year, "run_id", rep.RunID, "agreements", len(rep.Agreements),
			"inserted", rep.Counts.Inserted, "updated", rep.Counts.Updated, "unchanged", rep.Counts.Unchanged,
			"locked", rep.Counts.Locked)
	}
}
