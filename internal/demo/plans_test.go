package demo_test

import (
	"context"
	"testing"
	"time"

	"iop/internal/auth"
	"iop/internal/demo"
	"iop/internal/partnership"
	"iop/internal/plan"
	"iop/internal/postgres"
	"iop/internal/postgres/pgtest"
)

// TestDemoPlans: the demo's assessments make the share who moved a step
// non-trivial, and its goals include outcomes and overdue follow-ups.
func TestDemoPlans(t *testing.T) {
	t.Parallel()
	db := pgtest.New(t)
	ctx := context.Background()
	hasher, err := auth.NewHasher(auth.DefaultParams, 2)
	if err != nil {
		t.Fatal(err)
	}
	if err := demo.Load(ctx, db, auth.NewService(db, hasher, time.Now), ephemeralKeys(t)); err != nil {
		t.Fatal(err)
	}
	officer := partnership.Actor{Role: partnership.RoleOfficer, Via: "test"}
	svc := plan.NewService(db, time.Now)
	for title, year := range map[string]int{"Inkludering på lika villkor": 2024, "Hoppfull framtid": 2019} {
		ag, err := postgres.NewAgreements(db.Pool).ByTitle(ctx, title)
		if err != nil {
			t.Fatal(err)
		}
		share, err := svc.ShareMoved(ctx, officer, ag.ID, year)
		if err != nil {
			t.Fatal(err)
		}
		if share.Assessed < 10 || share.Moved*100 < share.Assessed*50 || share.Moved*100 > share.Assessed*85 {
			t.Errorf("%s %d: %d of %d moved, want 50–85 %%", title, year, share.Moved, share.Assessed)
		}
		var goals, outcomes, overdue int
		if err := db.Pool.QueryRow(ctx, `SELECT count(*), count(outcome_on), count(*) FILTER (WHERE outcome_on IS NULL AND follow_up_on < current_date)
			FROM plan_goals g JOIN participants p ON p.id = g.participant_id WHERE p.agreement_id = $1`, ag.ID).Scan(&goals, &outcomes, &overdue); err != nil {
			t.Fatal(err)
		}
		if goals < 10 || outcomes == 0 || overdue == 0 {
			t.Errorf("%s: %d goals, %d outcomes, %d overdue", title, goals, outcomes, overdue)
		}
	}
}
