package demo_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"iop/internal/auth"
	"iop/internal/demo"
	"iop/internal/postgres"
	"iop/internal/postgres/pgtest"
	"iop/internal/report"
)

// TestDemoAnnualReports: after two loads IKF's report of 2024 is approved
// once, with its figures stored, and Stadsmissionen's of 2019 awaits the
// officer; the narratives hold no figure of their own.
func TestDemoAnnualReports(t *testing.T) {
	t.Parallel()
	db := pgtest.New(t)
	ctx := context.Background()
	hasher, err := auth.NewHasher(auth.DefaultParams, 2)
	if err != nil {
		t.Fatal(err)
	}
	accounts := auth.NewService(db, hasher, time.Now)
	keys := ephemeralKeys(t)
	for i := 0; i < 2; i++ {
		if err := demo.Load(ctx, db, accounts, keys); err != nil {
			t.Fatalf("load #%d: %v", i+1, err)
		}
	}
	var reports, approvals int
	if err := db.Pool.QueryRow(ctx, `SELECT (SELECT count(*) FROM annual_reports),
		(SELECT count(*) FROM audit_events WHERE action = 'annual_report.approve')`).Scan(&reports, &approvals); err != nil {
		t.Fatal(err)
	}
	if reports != 2 || approvals != 1 {
		t.Errorf("after two loads: %d reports, %d approvals; want 2 and 1", reports, approvals)
	}
	store := postgres.NewAnnualReports(db.Pool)
	for _, tc := range []struct {
		title, state string
		year         int
		snapshot     bool
	}{
		{"Inkludering på lika villkor", "approved", 2024, true},
		{"Hoppfull framtid", "submitted", 2019, false},
	} {
		a, err := postgres.NewAgreements(db.Pool).ByTitle(ctx, tc.title)
		if err != nil {
			t.Fatal(err)
		}
		r, err := store.Get(ctx, a.ID, tc.year)
		if err != nil || r.State != tc.state || r.SubmittedAt == nil {
			t.Errorf("%s %d: %+v %v", tc.title, tc.year, r, err)
			continue
		}
		for _, text := range []string{r.Narrative.Activities, r.Narrative.Results, r.Narrative.Lessons, r.Narrative.Challenges, r.Narrative.NextYear} {
			if text == "" || strings.ContainsAny(strings.ReplaceAll(strings.ReplaceAll(text, "2024-12-31", ""), "2019-12-31", ""), "0123456789") &&
				!strings.Contains(text, "minst 60 deltagare") {
				t.Errorf("%s: a narrative is empty or states a figure of its own: %q", tc.title, text)
			}
		}
		snap, err := store.Snapshot(ctx, a.ID, tc.year)
		if err != nil || (snap != nil) != tc.snapshot {
			t.Errorf("%s snapshot: %d bytes, %v", tc.title, len(snap), err)
			continue
		}
		if tc.snapshot {
			var rep report.Report
			if err := json.Unmarshal(snap, &rep); err != nil || rep.Year != tc.year || rep.Agreement == nil || rep.Agreement.ID != a.ID || len(rep.Sections) == 0 {
				t.Errorf("%s snapshot: %+v %v", tc.title, rep.Agreement, err)
			}
		}
	}
}
