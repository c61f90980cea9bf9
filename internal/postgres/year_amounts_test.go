package postgres_test

import (
	"context"
	"errors"
	"reflect"
	"testing"

	"github.com/jackc/pgx/v5"

	"iop/internal/money"
	"iop/internal/partnership"
	"iop/internal/postgres"
	"iop/internal/postgres/pgtest"
)

// amountsOf is the materialised amounts of an agreement's year by line.
func amountsOf(t *testing.T, store *postgres.YearAmounts, agreementID int64, year int) map[int64]partnership.YearAmount {
	t.Helper()
	list, err := store.ForAgreement(context.Background(), agreementID)
	if err != nil {
		t.Fatal(err)
	}
	out := map[int64]partnership.YearAmount{}
	for _, y := range list {
		if y.Year == year {
			out[y.LineID] = y
		}
	}
	return out
}

func yearAmounts(pairs ...int64) []partnership.YearAmount {
	var out []partnership.YearAmount
	for i := 0; i < len(pairs); i += 2 {
		out = append(out, partnership.YearAmount{LineID: pairs[i], Amount: money.Amount(pairs[i+1])})
	}
	return out
}

func TestYearAmountsUpsertNeverTouchesLockedYears(t *testing.T) {
	t.Parallel()
	db := pgtest.New(t)
	ctx := context.Background()
	m, a := newOrgs(t, db)
	ag := newBudgetAgreement(t, db, m, a, "Inkludering på lika villkor", "2023-01-01", "2024-12-31")
	budgets := postgres.NewBudgets(db.Pool)
	l1 := mustLine(t, budgets, partnership.BudgetLine{AgreementID: ag.ID, PartyID: ag.Parties[0].ID, Text: "Handledning",
		Kind: partnership.Cash, Indexed: true, Amount: money.Kronor(330000)})
	l2 := mustLine(t, budgets, partnership.BudgetLine{AgreementID: ag.ID, PartyID: ag.Parties[0].ID, Text: "Administration",
		Kind: partnership.Cash, Indexed: true, Amount: money.Kronor(120000)})
	store := postgres.NewYearAmounts(db.Pool)
	upsert := func(year int, amounts []partnership.YearAmount) partnership.IndexationCounts {
		t.Helper()
		var c partnership.IndexationCounts
		err := db.InTx(ctx, func(tx pgx.Tx) error {
			var err error
			c, err = postgres.NewYearAmounts(tx).Upsert(ctx, ag.ID, year, amounts)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		return c
	}

	if c := upsert(2024, yearAmounts(l1.ID, 33660000, l2.ID, 12240000)); c != (partnership.IndexationCounts{Inserted: 2}) {
		t.Errorf("first run: %+v", c)
	}
	if c := upsert(2024, yearAmounts(l1.ID, 33660000, l2.ID, 12240000)); c != (partnership.IndexationCounts{Unchanged: 2}) || c.Changed() {
		t.Errorf("second run: %+v", c)
	}
	if c := upsert(2024, yearAmounts(l1.ID, 33700000, l2.ID, 12240000)); c != (partnership.IndexationCounts{Updated: 1, Unchanged: 1}) {
		t.Errorf("changed rate: %+v", c)
	}

	var n int
	err := db.InTx(ctx, func(tx pgx.Tx) error {
		var err error
		n, err = postgres.NewYearAmounts(tx).LockYear(ctx, ag.ID, 2024, "Faktura 2024-1 godkänd")
		return err
	})
	if err != nil || n != 2 {
		t.Fatalf("lock: %d %v", n, err)
	}
	if n, err := store.LockYear(ctx, ag.ID, 2024, "Årsrapport godkänd"); err != nil || n != 0 {
		t.Errorf("lock again: %d %v", n, err)
	}
	if locks, err := store.Locks(ctx, ag.ID); err != nil || len(locks) != 1 || locks[0].Reason != "Faktura 2024-1 godkänd" ||
		locks[0].Year != 2024 || locks[0].LockedAt.IsZero() {
		t.Errorf("locks: %v %+v", err, locks)
	}
	// A locked year keeps its amounts, and gets none for a line added later.
	l3 := mustLine(t, budgets, partnership.BudgetLine{AgreementID: ag.ID, PartyID: ag.Parties[1].ID, Text: "Lokalkostnader",
		Kind: partnership.InKind, Indexed: true, Amount: money.Kronor(75000)})
	if c := upsert(2024, yearAmounts(l1.ID, 1, l2.ID, 2, l3.ID, 3)); c != (partnership.IndexationCounts{Locked: 3}) {
		t.Errorf("locked run: %+v", c)
	}
	got := amountsOf(t, store, ag.ID, 2024)
	if len(got) != 2 || got[l1.ID].Amount != 33700000 || got[l2.ID].Amount != 12240000 ||
		!got[l1.ID].Locked || got[l1.ID].LockedBy != "Faktura 2024-1 godkänd" {
		t.Errorf("locked year changed: %+v", got)
	}
	if _, err := budgets.DeleteLine(ctx, ag.ID, l1.ID); !errors.Is(err, partnership.ErrYearLocked) || !errors.Is(err, partnership.ErrConflict) {
		t.Errorf("delete a line of a locked year: %v", err)
	}
	if locked, err := store.YearLocked(ctx, ag.ID, 2024); err != nil || !locked {
		t.Errorf("year locked: %v %v", locked, err)
	}
	// Other years are free.
	if c := upsert(2023, yearAmounts(l1.ID, 33000000, l3.ID, 7500000)); c != (partnership.IndexationCounts{Inserted: 2}) {
		t.Errorf("other year: %+v", c)
	}

	lock, err := store.UnlockYear(ctx, ag.ID, 2024)
	if err != nil || lock.Reason != "Faktura 2024-1 godkänd" {
		t.Fatalf("unlock: %v %+v", err, lock)
	}
	if _, err := store.UnlockYear(ctx, ag.ID, 2024); !errors.Is(err, partnership.ErrNotFound) {
		t.Errorf("unlock twice: %v", err)
	}
	if c := upsert(2024, yearAmounts(l1.ID, 1, l2.ID, 12240000, l3.ID, 3)); c != (partnership.IndexationCounts{Inserted: 1, Updated: 1, Unchanged: 1}) {
		t.Errorf("after unlock: %+v", c)
	}
	if got := amountsOf(t, store, ag.ID, 2024); got[l1.ID].Amount != 1 || got[l1.ID].Locked || got[l3.ID].Amount != 3 {
		t.Errorf("after unlock: %+v", got)
	}
}

func TestYearAmountsRowLockHoldsOnItsOwn(t *testing.T) {
	t.Parallel()
	db := pgtest.New(t)
	ctx := context.Background()
	m, a := newOrgs(t, db)
	ag := newBudgetAgreement(t, db, m, a, "Hoppfull framtid", "2018-01-01", "2019-12-31")
	line := mustLine(t, postgres.NewBudgets(db.Pool), partnership.BudgetLine{AgreementID: ag.ID, PartyID: ag.Parties[0].ID,
		Text: "Heltidstjänst", Kind: partnership.Cash, Indexed: true, Amount: money.Kronor(550000)})
	store := postgres.NewYearAmounts(db.Pool)
	if _, err := store.Upsert(ctx, ag.ID, 2019, yearAmounts(line.ID, 56100000)); err != nil {
		t.Fatal(err)
	}
	// A row locked without a year lock (ON CONFLICT ... WHERE NOT locked).
	if _, err := db.Pool.Exec(ctx, `UPDATE budget_year_amounts SET locked = true, locked_by = 'Årsrapport godkänd'`); err != nil {
		t.Fatal(err)
	}
	c, err := store.Upsert(ctx, ag.ID, 2019, yearAmounts(line.ID, 99))
	if err != nil || c != (partnership.IndexationCounts{Locked: 1}) {
		t.Errorf("upsert over a locked row: %+v %v", c, err)
	}
	if got := amountsOf(t, store, ag.ID, 2019); got[line.ID].Amount != 56100000 {
		t.Errorf("locked row changed: %+v", got)
	}
	other := newBudgetAgreement(t, db, m, a, "Annan", "2018-01-01", "2019-12-31")
	if _, err := store.Upsert(ctx, other.ID, 2019, yearAmounts(line.ID, 1)); !errors.Is(err, partnership.ErrNotFound) {
		t.Errorf("line of another agreement: %v", err)
	}
	if _, err := store.Upsert(ctx, 999999, 2019, nil); !errors.Is(err, partnership.ErrNotFound) {
		t.Errorf("unknown agreement: %v", err)
	}
	if _, err := store.Upsert(ctx, ag.ID, 2019, yearAmounts(line.ID, 1, line.ID, 2)); err == nil {
		t.Error("a line given twice was accepted")
	}
}

func TestCoveringAndMaterialised(t *testing.T) {
	t.Parallel()
	db := pgtest.New(t)
	ctx := context.Background()
	m, a := newOrgs(t, db)
	agreements := postgres.NewAgreements(db.Pool)
	ikf := newBudgetAgreement(t, db, m, a, "IKF", "2023-01-01", "2024-12-31")
	extended := newBudgetAgreement(t, db, m, a, "Förlängd", "2018-01-01", "2019-12-31")
	extended.Extensions = []partnership.Extension{{DecidedOn: *date("2019-06-01"), DecisionRef: "AMN § 1", NewEndDate: *date("2025-12-31")}}
	extended, err := agreements.Update(ctx, extended)
	if err != nil {
		t.Fatal(err)
	}
	terminated := newBudgetAgreement(t, db, m, a, "Uppsagd", "2023-07-01", "2026-06-30")
	terminated.Status = partnership.StatusTerminated
	terminated.Termination = &partnership.Termination{On: *date("2023-12-31"), Kind: partnership.TerminationNotice, Reason: "R"}
	if terminated, err = agreements.Update(ctx, terminated); err != nil {
		t.Fatal(err)
	}
	newBudgetAgreement(t, db, m, a, "Utkast utan datum", "", "")
	store := postgres.NewYearAmounts(db.Pool)
	for year, want := range map[int][]int64{
		2017: nil, 2018: {extended.ID}, 2023: {ikf.ID, extended.ID, terminated.ID},
		2024: {ikf.ID, extended.ID}, 2025: {extended.ID}, 2026: nil,
	} {
		got, err := store.Covering(ctx, year)
		if err != nil || !reflect.DeepEqual(got, want) && len(got)+len(want) > 0 {
			t.Errorf("covering %d: %v, want %v (%v)", year, got, want, err)
		}
	}

	// An agreement without budget lines has nothing to materialise.
	if ok, err := store.Materialised(ctx, 2024); err != nil || !ok {
		t.Errorf("no lines: %v %v", ok, err)
	}
	budgets := postgres.NewBudgets(db.Pool)
	line := func(ag partnership.Agreement) partnership.BudgetLine {
		return mustLine(t, budgets, partnership.BudgetLine{AgreementID: ag.ID, PartyID: ag.Parties[0].ID, Text: "Lön",
			Kind: partnership.Cash, Indexed: true, Amount: money.Kronor(450000)})
	}
	ikfLine, extLine := line(ikf), line(extended)
	if ids, err := store.Unmaterialised(ctx, 2024); err != nil || !reflect.DeepEqual(ids, []int64{ikf.ID, extended.ID}) {
		t.Errorf("unmaterialised: %v %v", ids, err)
	}
	if _, err := store.Upsert(ctx, ikf.ID, 2024, yearAmounts(ikfLine.ID, 45900000)); err != nil {
		t.Fatal(err)
	}
	if _, err := store.Upsert(ctx, extended.ID, 2024, yearAmounts(extLine.ID, 1)); err != nil {
		t.Fatal(err)
	}
	if ok, err := store.Materialised(ctx, 2024); err != nil || !ok {
		t.Errorf("after upserts: %v %v", ok, err)
	}
	// A changed line makes its agreement's year stale until the next run.
	ikfLine.Text = "Handledning"
	if _, err := budgets.UpdateLine(ctx, ikfLine); err != nil {
		t.Fatal(err)
	}
	if ids, err := store.Unmaterialised(ctx, 2024); err != nil || !reflect.DeepEqual(ids, []int64{ikf.ID}) {
		t.Errorf("after a change: %v %v", ids, err)
	}
	if c, err := store.Upsert(ctx, ikf.ID, 2024, yearAmounts(ikfLine.ID, 45900000)); err != nil || c != (partnership.IndexationCounts{Unchanged: 1}) {
		t.Errorf("rerun after a change: %+v %v", c, err)
	}
	if ok, err := store.Materialised(ctx, 2024); err != nil || !ok {
		t.Errorf("after rerun: %v %v", ok, err)
	}
	// A locked year counts as done, whatever it lacks.
	if _, err := store.LockYear(ctx, extended.ID, 2024, "Faktura godkänd"); err != nil {
		t.Fatal(err)
	}
	line(extended)
	if ok, err := store.Materialised(ctx, 2024); err != nil || !ok {
		t.Errorf("locked year with a new line: %v %v", ok, err)
	}

	all, err := store.ForYear(ctx, 2024)
	if err != nil || len(all) != 2 || all[0].AgreementID != ikf.ID || all[0].Amount != 45900000 ||
		all[1].AgreementID != extended.ID || !all[1].Locked {
		t.Errorf("for year: %v %+v", err, all)
	}
}

func TestOnlyOneTransactionGetsTheAdvisoryLock(t *testing.T) {
	t.Parallel()
	db := pgtest.New(t)
	ctx := context.Background()
	first, err := db.Pool.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer first.Rollback(ctx) //nolint:errcheck // committed below
	second, err := db.Pool.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer second.Rollback(ctx) //nolint:errcheck // rolled back at the end

	if ok, err := postgres.TryAdvisoryLock(ctx, first, postgres.IndexationLockKey); err != nil || !ok {
		t.Fatalf("first: %v %v", ok, err)
	}
	if ok, err := postgres.TryAdvisoryLock(ctx, second, postgres.IndexationLockKey); err != nil || ok {
		t.Fatalf("second while the first holds it: %v %v", ok, err)
	}
	if ok, err := postgres.TryAdvisoryLock(ctx, second, postgres.IndexationLockKey+1); err != nil || !ok {
		t.Errorf("another key: %v %v", ok, err)
	}
	// The lock ends with the transaction that holds it.
	if err := first.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	if ok, err := postgres.TryAdvisoryLock(ctx, second, postgres.IndexationLockKey); err != nil || !ok {
		t.Errorf("second after the first ended: %v %v", ok, err)
	}
}

func TestIndexationRunsAndRates(t *testing.T) {
	t.Parallel()
	db := pgtest.New(t)
	ctx := context.Background()
	officer, err := postgres.NewUsers(db.Pool).Create(ctx,
		partnership.User{Email: "erik@kommun.se", Name: "Erik Johansson", Role: partnership.RoleOfficer}, "hash")
	if err != nil {
		t.Fatal(err)
	}
	store := postgres.NewYearAmounts(db.Pool)
	scheduled, err := store.RecordRun(ctx, partnership.IndexationRun{Year: 2024, Agreements: 2,
		IndexationCounts: partnership.IndexationCounts{Inserted: 5, Locked: 1}})
	if err != nil || scheduled.ID == 0 || scheduled.StartedBy != nil || scheduled.FinishedAt.IsZero() ||
		!scheduled.StartedAt.Equal(scheduled.FinishedAt) || scheduled.Inserted != 5 || scheduled.Locked != 1 {
		t.Fatalf("scheduled run: %v %+v", err, scheduled)
	}
	manual, err := store.RecordRun(ctx, partnership.IndexationRun{Year: 2024, StartedBy: &officer.ID, Agreements: 2,
		IndexationCounts: partnership.IndexationCounts{Unchanged: 5, Locked: 1}})
	if err != nil || manual.StartedByName != "Erik Johansson" {
		t.Fatalf("manual run: %v %+v", err, manual)
	}
	runs, err := store.Runs(ctx, 10)
	if err != nil || len(runs) != 2 || !reflect.DeepEqual(runs[0], manual) || !reflect.DeepEqual(runs[1], scheduled) {
		t.Errorf("runs: %v %+v", err, runs)
	}

	rates := postgres.NewIndexRates(db.Pool)
	for _, r := range []partnership.IndexRate{{Year: 2024, RateBP: 300, Source: "OPI preliminär"}, {Year: 2023, RateBP: 410, Source: "OPI definitiv 2023"},
		{Year: 2024, RateBP: 280, Source: "OPI definitiv 2024"}} {
		if got, err := rates.Upsert(ctx, r); err != nil || got != r {
			t.Fatalf("upsert %+v: %+v %v", r, got, err)
		}
	}
	list, err := rates.List(ctx)
	want := []partnership.IndexRate{{Year: 2023, RateBP: 410, Source: "OPI definitiv 2023"}, {Year: 2024, RateBP: 280, Source: "OPI definitiv 2024"}}
	if err != nil || !reflect.DeepEqual(list, want) {
		t.Errorf("rates: %v %+v", err, list)
	}
	if r, err := rates.ByYear(ctx, 2024); err != nil || r != want[1] {
		t.Errorf("by year: %v %+v", err, r)
	}
	if r, err := rates.Delete(ctx, 2023); err != nil || r != want[0] {
		t.Errorf("delete: %v %+v", err, r)
	}
	if _, err := rates.ByYear(ctx, 2023); !errors.Is(err, partnership.ErrNotFound) {
		t.Errorf("after delete: %v", err)
	}
	if _, err := rates.Upsert(ctx, partnership.IndexRate{Year: 1999, RateBP: 200}); err == nil {
		t.Error("a rate for 1999 was stored")
	}
	if err := (partnership.IndexRate{Year: 2024, RateBP: -10000}).Validate(); err == nil {
		t.Error("a rate of −100 % is valid")
	}
}
