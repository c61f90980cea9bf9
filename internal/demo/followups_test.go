package demo_test

import (
	"context"
	"testing"
	"time"

	"iop/internal/auth"
	"iop/internal/demo"
	"iop/internal/postgres/pgtest"
)

// TestDemoFollowUps: the demo exits have their follow-ups, most of those
// due are recorded, IKF has some overdue, the share self-supporting is
// neither 0 nor 100 %, and a second load records nothing more.
func TestDemoFollowUps(t *testing.T) {
	t.Parallel()
	db := pgtest.New(t)
	ctx := context.Background()
	hasher, err := auth.NewHasher(auth.DefaultParams, 2)
	if err != nil {
		t.Fatal(err)
	}
	accounts := auth.NewService(db, hasher, time.Now)
	keys := ephemeralKeys(t)
	count := func(sql string) int {
		t.Helper()
		var n int
		if err := db.Pool.QueryRow(ctx, sql).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	if err := demo.Load(ctx, db, accounts, keys); err != nil {
		t.Fatalf("load: %v", err)
	}
	exited := count(`SELECT count(*) FROM participants WHERE exited_on IS NOT NULL`)
	if n := count(`SELECT count(DISTINCT participant_id) FROM followups`); n == 0 || n != exited {
		t.Errorf("%d exited participants have follow-ups, want all %d", n, exited)
	}
	recorded := count(`SELECT count(*) FROM followups WHERE done_on IS NOT NULL`)
	due := count(`SELECT count(*) FROM followups WHERE due_on < current_date`)
	if recorded*10 < due*6 {
		t.Errorf("%d of %d due follow-ups recorded, want most", recorded, due)
	}
	if n := count(`SELECT count(*) FROM followups f JOIN agreements a ON a.id = f.agreement_id
		WHERE a.title = 'Inkludering på lika villkor' AND f.done_on IS NULL AND f.due_on < current_date`); n == 0 {
		t.Error("IKF has no overdue follow-ups")
	}
	yes := count(`SELECT count(*) FROM followups WHERE self_supporting = 'yes'`)
	if yes == 0 || yes == recorded {
		t.Errorf("%d of %d recorded follow-ups self-supporting, want a share between", yes, recorded)
	}
	if err := demo.Load(ctx, db, accounts, keys); err != nil {
		t.Fatalf("second load: %v", err)
	}
	if n := count(`SELECT count(*) FROM followups WHERE done_on IS NOT NULL`); n != recorded {
		t.Errorf("second load: recorded %d → %d", recorded, n)
	}
}
