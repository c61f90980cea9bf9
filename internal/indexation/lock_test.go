package indexation_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"iop/internal/indexation"
	"iop/internal/money"
	"iop/internal/partnership"
	"iop/internal/postgres"
)

func TestConcurrentRunsApplyOnce(t *testing.T) {
	db := demoDB(t)
	ctx := context.Background()
	svc := indexation.NewService(db)
	ikfID := agreementID(t, db, ikfTitle)

	// Hold the agreement's row, so that the run that takes the advisory lock
	// first stops at it with the lock held, whichever goroutine that is:
	// the other one then meets a taken lock. Both start at once.
	blocker, err := db.Pool.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer blocker.Rollback(ctx) //nolint:errcheck // released below
	if _, err := blocker.Exec(ctx, `SELECT id FROM agreements WHERE id = $1 FOR UPDATE`, ikfID); err != nil {
		t.Fatal(err)
	}
	start := make(chan struct{})
	type outcome struct {
		rep indexation.Report
		err error
	}
	outcomes := make(chan outcome, 2)
	for range 2 {
		go func() {
			<-start
			rep, err := svc.Run(ctx, 2024, partnership.SystemActor("cli"))
			outcomes <- outcome{rep, err}
		}()
	}
	close(start)
	var first outcome
	select {
	case first = <-outcomes:
	case <-time.After(20 * time.Second):
		t.Fatal("neither run returned while the other held the lock")
	}
	if !errors.Is(first.err, indexation.ErrBusy) {
		t.Errorf("the run that returned first: %v, want the lock taken", first.err)
	}
	if err := blocker.Rollback(ctx); err != nil {
		t.Fatal(err)
	}
	second := <-outcomes
	if second.err != nil || second.rep.Counts != (partnership.IndexationCounts{Inserted: 5}) {
		t.Errorf("the run that did the work: %v %+v", second.err, second.rep.Counts)
	}
	var runs, indexed int
	if err := db.Pool.QueryRow(ctx, `SELECT (SELECT count(*) FROM indexation_runs),
		(SELECT count(*) FROM audit_events WHERE action = 'budget.indexed' AND entity_id = $1)`, itoa(ikfID)).Scan(&runs, &indexed); err != nil {
		t.Fatal(err)
	}
	if runs != 1 || indexed != 1 {
		t.Errorf("%d runs recorded, %d budget.indexed events; want the year applied once", runs, indexed)
	}

	// While another instance holds the lock, a run does nothing and says so.
	tx, err := db.Pool.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback(ctx) //nolint:errcheck // released below
	if ok, err := postgres.TryAdvisoryLock(ctx, tx, postgres.IndexationLockKey); err != nil || !ok {
		t.Fatalf("take the lock: %v %v", ok, err)
	}
	before := state(t, db)
	if _, err := svc.Run(ctx, 2023, partnership.SystemActor("cli")); !errors.Is(err, indexation.ErrBusy) {
		t.Errorf("run while the lock is held: %v", err)
	}
	if after := state(t, db); after != before {
		t.Errorf("a refused run changed the database")
	}
	if err := tx.Rollback(ctx); err != nil {
		t.Fatal(err)
	}
	if rep, err := svc.Run(ctx, 2023, partnership.SystemActor("cli")); err != nil || rep.Counts.Inserted != 5 {
		t.Errorf("run after the lock is released: %v %+v", err, rep.Counts)
	}
}

func TestLockedYearsAreUntouched(t *testing.T) {
	db := demoDB(t)
	ctx := context.Background()
	svc := indexation.NewService(db)
	ikfID := agreementID(t, db, ikfTitle)
	if _, err := svc.Run(ctx, 2024, partnership.SystemActor("cli")); err != nil {
		t.Fatal(err)
	}
	err := db.InTx(ctx, func(tx pgx.Tx) error {
		_, err := postgres.NewYearAmounts(tx).LockYear(ctx, ikfID, 2024, "Faktura 2024-1 godkänd")
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	budgets := postgres.NewBudgets(db.Pool)
	lines, err := budgets.Lines(ctx, ikfID)
	if err != nil {
		t.Fatal(err)
	}
	changed := lines[0]
	changed.Amount = money.Kronor(400000)
	if _, err := budgets.UpdateLine(ctx, changed); err != nil {
		t.Fatal(err)
	}

	before := state(t, db)
	preview, err := svc.Preview(ctx, 2024)
	if err != nil {
		t.Fatal(err)
	}
	if state(t, db) != before || preview.Changed() {
		t.Errorf("preview of a locked year: %+v", preview.Counts)
	}
	rep, err := svc.Run(ctx, 2024, partnership.SystemActor("cli"))
	if err != nil {
		t.Fatal(err)
	}
	ikf := agreementReport(t, rep, ikfTitle)
	if !ikf.Locked || ikf.LockReason != "Faktura 2024-1 godkänd" || rep.Counts != (partnership.IndexationCounts{Locked: 5}) {
		t.Errorf("locked agreement's report: %+v", ikf)
	}
	if m := party(t, ikf, municipality); m.Old != money.Kronor(459000) || m.New != m.Old {
		t.Errorf("locked municipal totals: %+v", m)
	}
	if got := rep.Summary(); got != "Inga ändringar: år 2024 var redan indexerat. 1 överenskommelse hoppades över eftersom året är låst." {
		t.Errorf("summary %q", got)
	}
	if total, n := storedTotal(t, db, ikfID, 2024); total != money.Kronor(918000) || n != 5 {
		t.Errorf("the locked year changed: %s in %d amounts", total, n)
	}
	// The next year is not locked: there the changed line counts.
	rep, err = svc.Run(ctx, 2023, partnership.SystemActor("cli"))
	if err != nil {
		t.Fatal(err)
	}
	if m := party(t, agreementReport(t, rep, ikfTitle), municipality); m.New != money.Kronor(520000) {
		t.Errorf("2023 after the change: %s, want 400 000 + 120 000 kr", m.New)
	}
}
