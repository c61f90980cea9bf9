package indexation_test

import (
	"context"
	"errors"
	"strconv"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"iop/internal/auth"
	"iop/internal/demo"
	"iop/internal/indexation"
	"iop/internal/money"
	"iop/internal/partnership"
	"iop/internal/postgres"
	"iop/internal/postgres/pgtest"
	"iop/internal/privacy"
)

const (
	ikfTitle     = "Inkludering på lika villkor"
	smTitle      = "Hoppfull framtid"
	municipality = "Linköpings kommun"
	ikfName      = "Internationella Kvinnoföreningen Linköping (IKF)"
)

// demoDB is a database of its own holding the demo data.
func demoDB(t *testing.T) *postgres.DB {
	t.Helper()
	t.Parallel()
	db := pgtest.New(t)
	hasher, err := auth.NewHasher(auth.DefaultParams, 2)
	if err != nil {
		t.Fatal(err)
	}
	if err := demo.Load(context.Background(), db, auth.NewService(db, hasher, time.Now), ephemeralKeys(t)); err != nil {
		t.Fatal(err)
	}
	return db
}

func agreementID(t *testing.T, db *postgres.DB, title string) int64 {
	t.Helper()
	a, err := postgres.NewAgreements(db.Pool).ByTitle(context.Background(), title)
	if err != nil {
		t.Fatal(err)
	}
	return a.ID
}

// state digests everything a run may write: the amounts, the locks, the
// runs and the audit log.
func state(t *testing.T, db *postgres.DB) string {
	t.Helper()
	var s string
	err := db.Pool.QueryRow(context.Background(), `SELECT
		coalesce((SELECT md5(string_agg(y::text, '|' ORDER BY line_id, year)) FROM budget_year_amounts y), '') || ' ' ||
		(SELECT count(*) FROM budget_year_locks)::text || ' ' ||
		(SELECT count(*) FROM indexation_runs)::text || ' ' ||
		(SELECT count(*) FROM audit_events)::text`).Scan(&s)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// agreementReport finds an agreement's part of a report.
func agreementReport(t *testing.T, rep indexation.Report, title string) indexation.AgreementReport {
	t.Helper()
	for _, a := range rep.Agreements {
		if a.Title == title {
			return a
		}
	}
	t.Fatalf("%q is not in the report of %d: %+v", title, rep.Year, rep)
	return indexation.AgreementReport{}
}

func party(t *testing.T, a indexation.AgreementReport, name string) indexation.PartyTotal {
	t.Helper()
	for _, p := range a.Parties {
		if p.Name == name {
			return p
		}
	}
	t.Fatalf("%s has no party %s: %+v", a.Title, name, a.Parties)
	return indexation.PartyTotal{}
}

// storedTotal is the sum of an agreement's stored amounts of year.
func storedTotal(t *testing.T, db *postgres.DB, agreementID int64, year int) (money.Amount, int) {
	t.Helper()
	list, err := postgres.NewYearAmounts(db.Pool).ForAgreement(context.Background(), agreementID)
	if err != nil {
		t.Fatal(err)
	}
	var sum money.Amount
	n := 0
	for _, y := range list {
		if y.Year == year {
			sum, n = sum+y.Amount, n+1
		}
	}
	return sum, n
}

func TestPreviewChangesNothing(t *testing.T) {
	db := demoDB(t)
	svc := indexation.NewService(db)
	before := state(t, db)
	rep, err := svc.Preview(context.Background(), 2024)
	if err != nil {
		t.Fatal(err)
	}
	if after := state(t, db); after != before {
		t.Errorf("the preview changed the database:\n before %s\n after  %s", before, after)
	}
	if !rep.DryRun || rep.RunID != 0 || len(rep.Agreements) != 1 {
		t.Fatalf("preview of 2024: %+v", rep)
	}
	ikf := agreementReport(t, rep, ikfTitle)
	m := party(t, ikf, municipality)
	if m.Materialised || m.Missing != 2 || m.New != money.Kronor(459000) {
		t.Errorf("municipal total of 2024: %+v, want not materialised → 459 000 kr", m)
	}
	if p := party(t, ikf, ikfName); p.New != money.Kronor(459000) {
		t.Errorf("IKF's total of 2024: %s", p.New)
	}
	if rep.Counts != (partnership.IndexationCounts{Inserted: 5}) || !rep.Changed() {
		t.Errorf("counts %+v", rep.Counts)
	}
	if got := rep.Summary(); got != "Indexeringen av år 2024 skulle ge 5 nya belopp, 0 ändrade, 0 oförändrade, 0 låsta i 1 överenskommelse." {
		t.Errorf("summary %q", got)
	}
	if _, err := svc.Preview(context.Background(), 1999); !errors.As(err, new(partnership.ValidationError)) {
		t.Errorf("preview of 1999: %v", err)
	}
}

func TestRunIsIdempotentAndAudited(t *testing.T) {
	db := demoDB(t)
	ctx := context.Background()
	svc := indexation.NewService(db)
	ikfID := agreementID(t, db, ikfTitle)
	officer, err := postgres.NewUsers(db.Pool).ByEmail(ctx, "handlaggare@iop.example")
	if err != nil {
		t.Fatal(err)
	}
	actor := partnership.ActorOf(officer, "192.0.2.7")

	if done, err := svc.Materialised(ctx, 2024); err != nil || done {
		t.Fatalf("2024 materialised before any run: %v %v", done, err)
	}
	first, err := svc.Run(ctx, 2024, actor)
	if err != nil {
		t.Fatal(err)
	}
	if first.DryRun || first.RunID == 0 || first.Counts != (partnership.IndexationCounts{Inserted: 5}) {
		t.Errorf("first run: %+v", first)
	}
	if got := first.Summary(); got != "Indexeringen av år 2024 är klar: 5 nya belopp, 0 ändrade, 0 oförändrade, 0 låsta i 1 överenskommelse." {
		t.Errorf("first summary %q", got)
	}
	if total, n := storedTotal(t, db, ikfID, 2024); total != money.Kronor(918000) || n != 5 {
		t.Errorf("stored 2024: %s in %d amounts", total, n)
	}
	if done, err := svc.Materialised(ctx, 2024); err != nil || !done {
		t.Errorf("2024 not materialised after the run: %v %v", done, err)
	}

	second, err := svc.Run(ctx, 2024, actor)
	if err != nil {
		t.Fatal(err)
	}
	if second.Changed() || second.Counts != (partnership.IndexationCounts{Unchanged: 5}) {
		t.Errorf("second run: %+v", second.Counts)
	}
	if got := second.Summary(); got != "Inga ändringar: år 2024 var redan indexerat." {
		t.Errorf("second summary %q", got)
	}
	m := party(t, agreementReport(t, second, ikfTitle), municipality)
	if !m.Materialised || m.Old != money.Kronor(459000) || m.New != m.Old {
		t.Errorf("second run's municipal totals: %+v", m)
	}
	if total, n := storedTotal(t, db, ikfID, 2024); total != money.Kronor(918000) || n != 5 {
		t.Errorf("stored 2024 after the second run: %s in %d amounts", total, n)
	}

	// Both runs are recorded and audited; only the first changed the agreement.
	runs, err := svc.Runs(ctx, 10)
	if err != nil || len(runs) != 2 || runs[1].Inserted != 5 || runs[0].Inserted != 0 || runs[0].Unchanged != 5 ||
		runs[1].StartedByName != "Erik Johansson" || runs[1].Agreements != 1 || runs[1].DryRun {
		t.Errorf("runs: %v %+v", err, runs)
	}
	audit := postgres.NewAudit(db.Pool)
	events, err := audit.ForEntity(ctx, "indexation", "2024", 10)
	if err != nil || len(events) != 2 || events[1].Action != "indexation.run" || *events[1].ActorID != officer.ID ||
		events[1].ClientIP != "192.0.2.7" || events[1].Details["inserted"] != float64(5) {
		t.Errorf("run events: %v %+v", err, events)
	}
	history, err := audit.ForEntity(ctx, "agreement", itoa(ikfID), 50)
	if err != nil {
		t.Fatal(err)
	}
	indexed := 0
	for _, e := range history {
		if e.Action == "budget.indexed" {
			indexed++
			if e.Details["year"] != float64(2024) || e.Details["inserted"] != float64(5) {
				t.Errorf("budget.indexed details %+v", e.Details)
			}
		}
	}
	if indexed != 1 {
		t.Errorf("%d budget.indexed events on the agreement, want 1 (the second run changed nothing)", indexed)
	}
}

// TestRunFollowsDecidedRates: an agreement in municipal mode follows a rate
// decided for the year, and a run after the decision updates the amounts.
func TestRunFollowsDecidedRates(t *testing.T) {
	db := demoDB(t)
	ctx := context.Background()
	svc := indexation.NewService(db)
	ikfID := agreementID(t, db, ikfTitle)
	if _, err := svc.Run(ctx, 2024, partnership.SystemActor("cli")); err != nil {
		t.Fatal(err)
	}
	err := db.InTx(ctx, func(tx pgx.Tx) error {
		if _, err := postgres.NewIndexRates(tx).Upsert(ctx, partnership.IndexRate{Year: 2024, RateBP: 300, Source: "OPI definitiv 2024"}); err != nil {
			return err
		}
		agreements := postgres.NewAgreements(tx)
		a, err := agreements.ByID(ctx, ikfID)
		if err != nil {
			return err
		}
		a.IndexMode = partnership.IndexMunicipal
		_, err = agreements.Update(ctx, a)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	rep, err := svc.Run(ctx, 2024, partnership.SystemActor("cli"))
	if err != nil {
		t.Fatal(err)
	}
	m := party(t, agreementReport(t, rep, ikfTitle), municipality)
	// 330 000 × 1,03 = 339 900 and 120 000 × 1,03 = 123 600.
	if m.Old != money.Kronor(459000) || m.New != money.Kronor(463500) || rep.Counts != (partnership.IndexationCounts{Updated: 5}) {
		t.Errorf("after the decided 3 %%: %+v, counts %+v", m, rep.Counts)
	}
}

// TestWorkedFigures runs DOMAIN.md's worked figures through the service.
func TestWorkedFigures(t *testing.T) {
	db := demoDB(t)
	ctx := context.Background()
	svc := indexation.NewService(db)

	rep, err := svc.Run(ctx, 2019, partnership.SystemActor("cli"))
	if err != nil {
		t.Fatal(err)
	}
	sm := agreementReport(t, rep, smTitle)
	if m := party(t, sm, municipality); m.New != money.Kronor(1122000) {
		t.Errorf("Hoppfull framtid's municipal total of 2019: %s, want 2 × 561 000 kr", m.New)
	}
	list, err := postgres.NewYearAmounts(db.Pool).ForYear(ctx, 2019)
	if err != nil {
		t.Fatal(err)
	}
	lines, err := postgres.NewBudgets(db.Pool).Lines(ctx, sm.AgreementID)
	if err != nil {
		t.Fatal(err)
	}
	stated := map[int64]money.Amount{}
	for _, l := range lines {
		stated[l.ID] = l.Amount
	}
	found := 0
	for _, y := range list {
		if stated[y.LineID] == money.Kronor(550000) {
			found++
			if y.Amount != money.Kronor(561000) {
				t.Errorf("the 550 000 kr line in 2019: %s, want 561 000 kr", y.Amount)
			}
		}
	}
	if found != 2 {
		t.Errorf("%d materialised 550 000 kr lines in 2019, want 2", found)
	}

	rep, err = svc.Preview(ctx, 2024)
	if err != nil {
		t.Fatal(err)
	}
	if m := party(t, agreementReport(t, rep, ikfTitle), municipality); m.New != money.Kronor(459000) {
		t.Errorf("Inkludering på lika villkor's municipal total of 2024: %s, want 459 000 kr", m.New)
	}
	rep, err = svc.Preview(ctx, 2023)
	if err != nil {
		t.Fatal(err)
	}
	if m := party(t, agreementReport(t, rep, ikfTitle), municipality); m.New != money.Kronor(450000) {
		t.Errorf("the base year 2023: %s, want 450 000 kr", m.New)
	}
	if rep, err := svc.Preview(ctx, 2030); err != nil || len(rep.Agreements) != 0 ||
		rep.Summary() != "Ingen överenskommelse gäller år 2030; det finns inget att indexera." {
		t.Errorf("a year no agreement covers: %v %q", err, rep.Summary())
	}
}

func itoa(id int64) string { return strconv.FormatInt(id, 10) }

// ephemeralKeys is a keyring for the demo participants' identities.
func ephemeralKeys(t testing.TB) *privacy.Keyring {
	t.Helper()
	keys, err := privacy.EphemeralKeyring()
	if err != nil {
		t.Fatal(err)
	}
	return keys
}
