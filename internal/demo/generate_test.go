package demo_test

import (
	"context"
	"reflect"
	"testing"
	"time"

	"iop/internal/demo"
	"iop/internal/partnership"
	"iop/internal/postgres"
	"iop/internal/postgres/pgtest"
)

var smallSizes = demo.Sizes{Agreements: 5, Participants: 200, Activities: 5000, Years: 2, LastYear: 2025, Seed: 7}

// TestGenerateCountsAndListsAddUp generates a small data set and checks that
// the stores behind the list pages and totals see exactly what was written.
func TestGenerateCountsAndListsAddUp(t *testing.T) {
	t.Parallel()
	db := pgtest.New(t)
	ctx := context.Background()
	var last demo.Progress
	got, err := demo.Generate(ctx, db, smallSizes, func(p demo.Progress) { last = p })
	if err != nil {
		t.Fatal(err)
	}
	if last.Table != "activities" || last.Done != 5000 || last.Total != 5000 {
		t.Errorf("last progress %+v", last)
	}
	if len(got.Agreements) != 5 || got.Participants != 200 || got.Activities != 5000 || got.Organisations != 6 {
		t.Fatalf("generated %+v", got)
	}
	for table, want := range map[string]int{"agreements": 5, "participants": 200, "activities": 5000,
		"activity_types": got.Types, "activity_targets": got.Types * 2, "participant_code_prefixes": 5,
		"budget_lines": got.BudgetLines} {
		var n int
		if err := db.Pool.QueryRow(ctx, "SELECT count(*) FROM "+table).Scan(&n); err != nil || n != want {
			t.Errorf("%s: %d rows, want %d (%v)", table, n, want, err)
		}
	}
	var identities int
	if err := db.Pool.QueryRow(ctx, `SELECT count(*) FROM participants WHERE identity_ciphertext IS NOT NULL`).Scan(&identities); err != nil || identities != 0 {
		t.Errorf("participants with identities: %d, %v", identities, err)
	}

	list, err := postgres.NewAgreementList(db.Pool).Find(ctx, partnership.User{Role: partnership.RoleOfficer},
		postgres.AgreementListQuery{Today: time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)})
	if err != nil || list.Total != 5 || len(list.Rows) != 5 {
		t.Fatalf("agreement list: %d of %d, %v", len(list.Rows), list.Total, err)
	}
	biggest := got.Agreements[0]
	for _, a := range got.Agreements {
		if a.Activities > biggest.Activities {
			biggest = a
		}
	}
	if biggest != got.Agreements[0] || biggest.Activities < 5000/4 {
		t.Errorf("the first agreement should be the biggest by far: %+v", got.Agreements)
	}
	acts := postgres.NewActivities(db.Pool)
	parts := postgres.NewParticipants(db.Pool)
	for _, a := range got.Agreements {
		totals, err := acts.Totals(ctx, a.ID, partnership.ActivityFilter{})
		if err != nil || totals.Occasions != int64(a.Activities) {
			t.Errorf("agreement %d: totals %+v, want %d activities (%v)", a.ID, totals, a.Activities, err)
		}
		page, err := acts.List(ctx, a.ID, partnership.ActivityFilter{}, nil, 50)
		if err != nil || len(page.Activities) != min(50, a.Activities) {
			t.Errorf("agreement %d: first page of %d activities, %v", a.ID, len(page.Activities), err)
		}
		ps, err := parts.List(ctx, a.ID, partnership.ParticipantFilter{})
		if err != nil || ps.Total != a.Participants {
			t.Errorf("agreement %d: %d participants listed, want %d (%v)", a.ID, ps.Total, a.Participants, err)
		}
	}
}

// TestGenerateIsDeterministic generates the same sizes and seed twice and
// compares the shares of every agreement and the activities' content.
func TestGenerateIsDeterministic(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	sizes := smallSizes
	sizes.Activities = 500
	var shares [2][]int
	var sums [2][2]int64
	for i := range 2 {
		db := pgtest.New(t)
		got, err := demo.Generate(ctx, db, sizes, nil)
		if err != nil {
			t.Fatal(err)
		}
		for _, a := range got.Agreements {
			shares[i] = append(shares[i], a.Participants, a.Activities)
		}
		if err := db.Pool.QueryRow(ctx, `SELECT sum(duration_minutes * (women + 1)), sum(extract(doy FROM activity_date)::int * men)
			FROM activities`).Scan(&sums[i][0], &sums[i][1]); err != nil {
			t.Fatal(err)
		}
	}
	if !reflect.DeepEqual(shares[0], shares[1]) || sums[0] != sums[1] {
		t.Errorf("two runs differ: %v %v / %v %v", shares[0], sums[0], shares[1], sums[1])
	}
}

func TestSizesValidate(t *testing.T) {
	t.Parallel()
	bad := []demo.Sizes{
		{Agreements: 0, Years: 1, LastYear: 2025},
		{Agreements: 1, Years: 0, LastYear: 2025},
		{Agreements: 1, Participants: -1, Years: 1, LastYear: 2025},
		{Agreements: 1, Years: 30, LastYear: 2020},
	}
	for _, s := range bad {
		if s.Validate() == nil {
			t.Errorf("%+v accepted", s)
		}
	}
}
