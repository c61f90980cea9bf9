package demo

import (
	"context"
	"fmt"
	"hash/fnv"
	"math/rand/v2"
	"time"

	"iop/internal/followup"
	"iop/internal/partnership"
	"iop/internal/postgres"
)

// loadFollowUps records the outcome of the demo participants' follow-ups
// that are due: the exits, replayed by loadParticipants, created them
// through the participant service. Each follow-up's outcome is drawn from
// its own seed (the participant's code and the month), so that a second
// load makes the same choices and records nothing new, and the share
// self-supporting comes out near seed 004's goal of 75 % for those who
// left for work or studies and well below it for the rest.
func loadFollowUps(ctx context.Context, db *postgres.DB, now time.Time) error {
	users := postgres.NewUsers(db.Pool)
	svc := followup.NewService(db, func() time.Time { return now })
	for _, plan := range demoParticipantPlans {
		staffUser, err := users.ByEmail(ctx, plan.staff)
		if err != nil {
			return fmt.Errorf("demo follow-ups: %s: %w", plan.staff, err)
		}
		staff := partnership.ActorOf(staffUser, "")
		staff.Via = "cli"
		agreement, err := postgres.NewAgreements(db.Pool).ByTitle(ctx, plan.title)
		if err != nil {
			return fmt.Errorf("demo follow-ups for %q: %w", plan.title, err)
		}
		skip := 0.05
		if plan.year >= 2024 {
			skip = 0.3
		}
		due, err := svc.Overdue(ctx, staff, agreement.ID)
		if err != nil {
			return fmt.Errorf("demo follow-ups for %q: %w", plan.title, err)
		}
		for _, f := range due {
			h := fnv.New64a()
			fmt.Fprintf(h, "%s/%d", f.Code, f.Months)
			r := rand.New(rand.NewPCG(h.Sum64(), 2026))
			if r.Float64() < skip {
				continue
			}
			p, err := postgres.NewParticipants(db.Pool).ByID(ctx, f.ParticipantID)
			if err != nil {
				return err
			}
			if _, err := svc.Record(ctx, staff, p.ID, f.FollowUpID, demoOutcome(r, p, f, svc.Today())); err != nil {
				return fmt.Errorf("demo follow-up of %s at %d months: %w", f.Code, f.Months, err)
			}
		}
	}
	return nil
}

// demoOutcome draws a follow-up's outcome: done within three weeks of the
// due date (never after today), self-supporting mostly for those who left
// for work or studies.
func demoOutcome(r *rand.Rand, p partnership.Participant, f partnership.OverdueFollowUp, today time.Time) partnership.FollowUpOutcome {
	done := f.DueOn.AddDate(0, 0, r.IntN(21))
	if !done.Before(today) {
		done = today.AddDate(0, 0, -1)
	}
	chance := 0.35
	if p.ExitDestination == partnership.ExitWork || p.ExitDestination == partnership.ExitStudies {
		chance = 0.8
	}
	if f.Months >= 12 {
		chance += 0.05
	}
	o := partnership.FollowUpOutcome{DoneOn: done, Destination: partnership.ExitOtherMeasure, SelfSupporting: partnership.SelfSupportingNo}
	switch x := r.Float64(); {
	case x < chance:
		o.SelfSupporting, o.Destination = partnership.SelfSupportingYes, partnership.ExitWork
		if r.Float64() < 0.3 {
			o.Destination = partnership.ExitStudies
		}
	case x > 0.95:
		o.SelfSupporting, o.Destination = partnership.SelfSupportingUnknown, partnership.ExitUnknown
	}
	return o
}
