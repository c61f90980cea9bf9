package demo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"iop/internal/participant"
	"iop/internal/partnership"
	"iop/internal/plan"
	"iop/internal/postgres"
	"iop/internal/privacy"
)

// demoGoals are IUP goals as an association would word them; nothing in
// them identifies anyone.
var demoGoals = []struct {
	term partnership.GoalTerm
	text string
}{
	{partnership.GoalShortTerm, "Delta i språkcaféet varje vecka"},
	{partnership.GoalShortTerm, "Skriva ett CV med stöd av handledaren"},
	{partnership.GoalShortTerm, "Hitta en fungerande dagsrutin med fasta tider"},
	{partnership.GoalLongTerm, "Få en praktikplats inom handel eller service"},
	{partnership.GoalLongTerm, "Börja studera på SFI nivå C"},
	{partnership.GoalLongTerm, "Söka arbete inom vård och omsorg"},
}

// demoOutcomes are outcome notes recorded at follow-ups.
var demoOutcomes = []struct {
	status partnership.GoalStatus
	note   string
}{
	{partnership.GoalAchieved, "Målet nått enligt plan."},
	{partnership.GoalPartlyAchieved, "Har kommit en bit; målet förs vidare."},
	{partnership.GoalNotAchieved, "Hälsan har gått före; nytt mål sätts."},
	{partnership.GoalAchieved, ""},
}

// loadPlans gives the enrolled participants of the demo agreements IUP
// goals (some followed up, some overdue) and two or three assessments on
// GA-modellen, so that roughly two in three move at least one step. Each
// step is a use case of the plan service, acted by the agreement's demo
// staff on the participants' clock; an agreement with assessments is left
// as it is.
func loadPlans(ctx context.Context, db *postgres.DB, keys *privacy.Keyring, now time.Time) error {
	users := postgres.NewUsers(db.Pool)
	officerUser, err := users.ByEmail(ctx, officerEmail)
	if err != nil {
		return fmt.Errorf("demo plans: %s: %w", officerEmail, err)
	}
	officer := partnership.ActorOf(officerUser, "")
	officer.Via = "cli"
	for i, p := range demoParticipantPlans {
		staffUser, err := users.ByEmail(ctx, p.staff)
		if err != nil {
			return fmt.Errorf("demo plans: %s: %w", p.staff, err)
		}
		asOf := time.Date(p.year, time.December, 31, 12, 0, 0, 0, time.UTC)
		if now.Before(asOf) {
			asOf = now
		}
		staff := partnership.ActorOf(staffUser, "")
		staff.Via = "cli"
		clock := func() time.Time { return asOf }
		if err := loadAgreementPlans(ctx, db, plan.NewService(db, clock), participant.NewService(db, keys, clock),
			officer, staff, p.title, rand.New(rand.NewPCG(2026, uint64(200+i)))); err != nil {
			return fmt.Errorf("demo plans for %q: %w", p.title, err)
		}
	}
	return nil
}

// officerEmail is the demo officer, who sets up each agreement's step model.
const officerEmail = "handlaggare@iop.example"

func loadAgreementPlans(ctx context.Context, db *postgres.DB, svc *plan.Service, people *participant.Service,
	officer, staff partnership.Actor, title string, r *rand.Rand) error {
	agreement, err := postgres.NewAgreements(db.Pool).ByTitle(ctx, title)
	if err != nil {
		return err
	}
	model, err := svc.Model(ctx, staff, agreement.ID)
	if err != nil || model.Assessed {
		return err
	}
	// The officer adopts GA-modellen as it is, which stores it.
	stored, err := svc.ConfigureModel(ctx, officer, agreement.ID, model.StepModel)
	if err != nil {
		return err
	}
	page, err := people.List(ctx, staff, agreement.ID, partnership.ParticipantFilter{Limit: partnership.MaxParticipantPage})
	if err != nil {
		return err
	}
	today := svc.Today()
	n := 0
	for _, p := range page.Participants {
		if p.EnrolledOn == nil {
			continue
		}
		n++
		last := today
		if p.ExitedOn != nil {
			last = *p.ExitedOn
		}
		if n <= 14 {
			if err := demoParticipantGoals(ctx, svc, staff, p, last, today, n, r); err != nil {
				return err
			}
		}
		if n%4 != 0 {
			if err := demoAssessments(ctx, svc, staff, stored, p, last, r); err != nil {
				return err
			}
		}
	}
	return nil
}

// demoParticipantGoals adds a short- and a long-term goal; the outcome of
// a passed follow-up is recorded except for every third participant, whose
// follow-up stays overdue.
func demoParticipantGoals(ctx context.Context, svc *plan.Service, staff partnership.Actor, p partnership.Participant, last, today time.Time, n int, r *rand.Rand) error {
	for k, months := range []int{2, 6} {
		g := demoGoals[0]
		if k == 1 {
			g = demoGoals[3+(n%3)]
		} else {
			g = demoGoals[n%3]
		}
		saved, err := svc.AddGoal(ctx, staff, p.ID, partnership.Goal{Term: g.term, Text: g.text, FollowUpOn: p.EnrolledOn.AddDate(0, months, 0)})
		if err != nil {
			return fmt.Errorf("goal of %s: %w", p.Code, err)
		}
		if n%3 == 0 || saved.FollowUpOn.After(last) || saved.FollowUpOn.After(today) {
			continue
		}
		o := demoOutcomes[r.IntN(len(demoOutcomes))]
		if _, err := svc.RecordGoalOutcome(ctx, staff, p.ID, saved.ID, saved.FollowUpOn, o.status, o.note); err != nil {
			return fmt.Errorf("goal outcome of %s: %w", p.Code, err)
		}
	}
	return nil
}

// demoAssessments records up to three assessments, a week, six weeks and four
// months after enrolment (not after last); two in three participants move
// up a step or two on some dimensions between them.
func demoAssessments(ctx context.Context, svc *plan.Service, staff partnership.Actor, m partnership.StepModel, p partnership.Participant, last time.Time, r *rand.Rand) error {
	ratings := map[string]int{}
	for _, d := range partnership.DefaultStepModel().Dimensions {
		ratings[d.Name] = 1 + r.IntN(3)
	}
	moves := r.IntN(3) != 0
	for k, on := range []time.Time{p.EnrolledOn.AddDate(0, 0, 7), p.EnrolledOn.AddDate(0, 0, 42), p.EnrolledOn.AddDate(0, 4, 0)} {
		if on.After(last) {
			break
		}
		if k > 0 {
			for name, v := range ratings {
				switch {
				case moves && r.IntN(3) == 0 && v < 5:
					ratings[name] = v + 1
				case !moves && r.IntN(6) == 0 && v > 1:
					ratings[name] = v - 1
				}
			}
		}
		a := partnership.Assessment{AssessedOn: on, Ratings: map[int64]int{}}
		for _, d := range m.Dimensions {
			v, ok := ratings[d.Name]
			if !ok {
				v = 2
			}
			a.Ratings[d.ID] = v
		}
		if _, err := svc.Assess(ctx, staff, p.ID, a); err != nil {
			return fmt.Errorf("assessment of %s: %w", p.Code, err)
		}
	}
	return nil
}
