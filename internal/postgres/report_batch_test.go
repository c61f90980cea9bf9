package postgres_test

import (
	"context"
	"reflect"
	"testing"
	"time"

	"iop/internal/auth"
	"iop/internal/demo"
	"iop/internal/postgres"
	"iop/internal/postgres/pgtest"
	"iop/internal/privacy"
)

// batchData is the demo data set (extensions, stated totals, assessments,
// annual reports) plus a few generated agreements.
var batchData = pgtest.NewSeeded(func(ctx context.Context, db *postgres.DB) error {
	hasher, err := auth.NewHasher(auth.DefaultParams, 2)
	if err != nil {
		return err
	}
	keys, err := privacy.EphemeralKeyring()
	if err != nil {
		return err
	}
	if err := demo.Load(ctx, db, auth.NewService(db, hasher, time.Now), keys); err != nil {
		return err
	}
	_, err = demo.Generate(ctx, db, demo.Sizes{Agreements: 12, Participants: 300, Activities: 2_000, Years: 3,
		LastYear: time.Now().Year(), Seed: 7}, nil)
	return err
})

// TestReportBatchReadsEqualSingleReads: each read of a set of agreements
// returns, per agreement, exactly what its one-agreement counterpart does,
// so that the pages that now read every agreement at once show the same.
func TestReportBatchReadsEqualSingleReads(t *testing.T) {
	t.Parallel()
	db := batchData.New(t)
	ctx := context.Background()
	// The demo data has no extensions: the first agreement with an end
	// date gets three (two on the same day), the second one.
	for _, years := range []string{"1", "1", "2"} {
		if _, err := db.Pool.Exec(ctx, `INSERT INTO agreement_extensions (agreement_id, decided_on, decision_ref, new_end_date)
			SELECT id, end_date, 'KS 2026/'||`+years+`, end_date + `+years+` * 365 FROM agreements
			WHERE end_date IS NOT NULL ORDER BY id LIMIT `+years); err != nil {
			t.Fatal(err)
		}
	}
	var ids []int64
	if err := db.Pool.QueryRow(ctx, `SELECT array_agg(id ORDER BY title DESC) FROM agreements`).Scan(&ids); err != nil {
		t.Fatal(err)
	}
	if len(ids) < 14 {
		t.Fatalf("only %d agreements", len(ids))
	}
	agreements := postgres.NewAgreements(db.Pool)
	all, err := agreements.ByIDs(ctx, ids)
	if err != nil {
		t.Fatal(err)
	}
	budgets := postgres.NewBudgets(db.Pool)
	lines, err := budgets.LinesOf(ctx, ids)
	if err != nil {
		t.Fatal(err)
	}
	totals, err := budgets.TotalsOf(ctx, ids)
	if err != nil {
		t.Fatal(err)
	}
	reports := postgres.NewAnnualReports(db.Pool)
	stored, err := reports.ForAgreements(ctx, ids)
	if err != nil {
		t.Fatal(err)
	}
	var orgIDs []int64
	var seen struct{ extensions, totals, reports, parties int }
	for i, id := range ids {
		one, err := agreements.ByID(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(all[i], one) {
			t.Errorf("agreement %d: ByIDs\n%+v\nByID\n%+v", id, all[i], one)
		}
		seen.extensions += len(one.Extensions)
		seen.parties += len(one.Parties)
		for _, p := range one.Parties {
			orgIDs = append(orgIDs, p.OrganisationID)
		}
		l, err := budgets.Lines(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if len(l) > 0 || len(lines[id]) > 0 {
			if !reflect.DeepEqual(lines[id], l) {
				t.Errorf("agreement %d: LinesOf %+v, Lines %+v", id, lines[id], l)
			}
		}
		tt, err := budgets.Totals(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		seen.totals += len(tt)
		if len(tt) > 0 || len(totals[id]) > 0 {
			if !reflect.DeepEqual(totals[id], tt) {
				t.Errorf("agreement %d: TotalsOf %+v, Totals %+v", id, totals[id], tt)
			}
		}
		r, err := reports.ForAgreement(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		seen.reports += len(r)
		if len(r) > 0 || len(stored[id]) > 0 {
			if !reflect.DeepEqual(stored[id], r) {
				t.Errorf("agreement %d: ForAgreements %+v, ForAgreement %+v", id, stored[id], r)
			}
		}
	}
	if seen.extensions == 0 || seen.totals == 0 || seen.reports == 0 || seen.parties == 0 {
		t.Fatalf("the data set lacks something to compare: %+v", seen)
	}
	numbers, err := postgres.NewOrganisations(db.Pool).OrgNumbers(ctx, orgIDs)
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range orgIDs {
		o, err := postgres.NewOrganisations(db.Pool).ByID(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if numbers[id] != o.OrgNumber.String() {
			t.Errorf("organisation %d: OrgNumbers %q, ByID %q", id, numbers[id], o.OrgNumber.String())
		}
	}
	if _, err := agreements.ByIDs(ctx, []int64{ids[0], -1}); err == nil {
		t.Error("ByIDs of a missing agreement: no error")
	}

	moved := 0
	for year := time.Now().Year() - 3; year <= time.Now().Year(); year++ {
		any, err := postgres.NewReports(db.Pool).ReportStepsAny(ctx, ids, year)
		if err != nil {
			t.Fatal(err)
		}
		for _, id := range ids {
			m, err := postgres.NewPlans(db.Pool).ShareMoved(ctx, id, year)
			if err != nil {
				t.Fatal(err)
			}
			want, ok := [2]int64{int64(m.Assessed), int64(m.Moved)}, m.Assessed > 0
			if got, has := any[id]; has != ok || got != want {
				t.Errorf("agreement %d in %d: ReportStepsAny %v %v, ShareMoved %v", id, year, got, has, m)
			}
			moved += m.Assessed
		}
	}
	if moved == 0 {
		t.Fatal("nobody was assessed: nothing compared")
	}
}
