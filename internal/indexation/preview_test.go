package indexation_test

import (
	"context"
	"reflect"
	"testing"

	"github.com/jackc/pgx/v5"

	"iop/internal/demo"
	"iop/internal/indexation"
	"iop/internal/money"
	"iop/internal/partnership"
	"iop/internal/postgres"
)

// TestPreviewEqualsRun previews each year, runs it, and checks that the
// run reports what the preview said and stores, party by party, the new
// totals the preview showed, to the öre: over generated agreements with
// partial years, a decided rate, a changed line, a locked year and years
// already materialised.
func TestPreviewEqualsRun(t *testing.T) {
	db := demoDB(t)
	ctx := context.Background()
	gen, err := demo.Generate(ctx, db, demo.Sizes{Agreements: 6, Participants: 20, Years: 4, LastYear: 2025, Seed: 5}, nil)
	if err != nil {
		t.Fatal(err)
	}
	svc := indexation.NewService(db)
	actor := partnership.SystemActor("cli")
	if _, err := svc.Run(ctx, 2024, actor); err != nil {
		t.Fatal(err)
	}
	ikfID := agreementID(t, db, ikfTitle)
	err = db.InTx(ctx, func(tx pgx.Tx) error {
		if _, err := postgres.NewIndexRates(tx).Upsert(ctx, partnership.IndexRate{Year: 2025, RateBP: 310, Source: "OPI definitiv 2025"}); err != nil {
			return err
		}
		_, err := postgres.NewYearAmounts(tx).LockYear(ctx, ikfID, 2024, "Faktura 2024-1 godkänd")
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	budgets := postgres.NewBudgets(db.Pool)
	lines, err := budgets.Lines(ctx, gen.Agreements[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	changed := lines[0]
	changed.Amount = money.Sum(changed.Amount, money.Kronor(12345))
	if _, err := budgets.UpdateLine(ctx, changed); err != nil {
		t.Fatal(err)
	}

	var all partnership.IndexationCounts
	for year := 2018; year <= 2027; year++ {
		preview, err := svc.Preview(ctx, year)
		if err != nil {
			t.Fatal(err)
		}
		rep, err := svc.Run(ctx, year, actor)
		if err != nil {
			t.Fatal(err)
		}
		all = all.Add(rep.Counts)
		if !reflect.DeepEqual(preview.Agreements, rep.Agreements) || preview.Counts != rep.Counts {
			t.Errorf("%d: the preview\n %+v\ndiffers from the run\n %+v", year, preview, rep)
		}
		stored := storedByParty(t, db, year)
		for _, a := range rep.Agreements {
			for _, p := range a.Parties {
				if got := stored[[2]int64{a.AgreementID, p.PartyID}]; got != p.New {
					t.Errorf("%d, %s, %s: stored %s, the preview said %s", year, a.Title, p.Name, got, p.New)
				}
			}
		}
		if again, err := svc.Preview(ctx, year); err != nil || again.Changed() {
			t.Errorf("%d: preview after the run: %+v, %v", year, again.Counts, err)
		}
	}
	if all.Inserted == 0 || all.Updated == 0 || all.Unchanged == 0 || all.Locked == 0 {
		t.Errorf("the years compared did not insert, update, keep and skip amounts each: %+v", all)
	}
}

// storedByParty sums the stored amounts of year by agreement and party.
func storedByParty(t *testing.T, db *postgres.DB, year int) map[[2]int64]money.Amount {
	t.Helper()
	ctx := context.Background()
	amounts, err := postgres.NewYearAmounts(db.Pool).ForYear(ctx, year)
	if err != nil {
		t.Fatal(err)
	}
	var ids []int64
	for _, y := range amounts {
		ids = append(ids, y.AgreementID)
	}
	lines, err := postgres.NewBudgets(db.Pool).LinesOf(ctx, ids)
	if err != nil {
		t.Fatal(err)
	}
	party := map[int64]int64{}
	for _, ls := range lines {
		for _, l := range ls {
			party[l.ID] = l.PartyID
		}
	}
	out := map[[2]int64]money.Amount{}
	for _, y := range amounts {
		k := [2]int64{y.AgreementID, party[y.LineID]}
		out[k] = money.Sum(out[k], y.Amount)
	}
	return out
}
