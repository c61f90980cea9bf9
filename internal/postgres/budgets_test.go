package postgres_test

import (
	"context"
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"iop/internal/money"
	"iop/internal/partnership"
	"iop/internal/postgres"
	"iop/internal/postgres/pgtest"
)

// newBudgetAgreement stores an agreement between a municipality and an
// association running from start to end (empty: not known), with the
// organisations newOrgs gives; parties[0] is the municipality.
func newBudgetAgreement(t *testing.T, db *postgres.DB, m, a partnership.Organisation, title, start, end string) partnership.Agreement {
	t.Helper()
	ag := partnership.Agreement{Title: title, Status: partnership.StatusDraft, Parties: []partnership.Party{
		{OrganisationID: m.ID, Role: partnership.PartyMunicipality},
		{OrganisationID: a.ID, Role: partnership.PartyLeadAssociation},
	}}
	if start != "" {
		ag.StartDate = date(start)
	}
	if end != "" {
		ag.EndDate = date(end)
	}
	var created partnership.Agreement
	err := db.InTx(context.Background(), func(tx pgx.Tx) error {
		var err error
		created, err = postgres.NewAgreements(tx).Create(context.Background(), ag)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return created
}

func mustLine(t *testing.T, store *postgres.Budgets, l partnership.BudgetLine) partnership.BudgetLine {
	t.Helper()
	created, err := store.CreateLine(context.Background(), l)
	if err != nil {
		t.Fatalf("create line %q: %v", l.Text, err)
	}
	return created
}

func TestAgreementIndexationDefaults(t *testing.T) {
	t.Parallel()
	db := pgtest.New(t)
	m, a := newOrgs(t, db)
	ag := newBudgetAgreement(t, db, m, a, "Inkludering på lika villkor", "2023-01-01", "2024-12-31")
	if ag.IndexMode != partnership.IndexFixed || ag.IndexRateBP != 200 || ag.VolunteerHourRate != 0 {
		t.Errorf("defaults: %q %d %d", ag.IndexMode, ag.IndexRateBP, ag.VolunteerHourRate)
	}
	// A fixed rate of 0 % is a rate like any other once the mode is set.
	ag.IndexRateBP = 0
	updated, err := postgres.NewAgreements(db.Pool).Update(context.Background(), ag)
	if err != nil || updated.IndexMode != partnership.IndexFixed || updated.IndexRateBP != 0 {
		t.Errorf("0 %%: %v %q %d", err, updated.IndexMode, updated.IndexRateBP)
	}
}

func TestBudgetLinesRoundTripInBudgetOrder(t *testing.T) {
	t.Parallel()
	db := pgtest.New(t)
	ctx := context.Background()
	m, a := newOrgs(t, db)
	ag := newBudgetAgreement(t, db, m, a, "Förstegsinsats", "", "")
	other := newBudgetAgreement(t, db, m, a, "Annan", "", "")
	muni, assoc := ag.Parties[0].ID, ag.Parties[1].ID
	store := postgres.NewBudgets(db.Pool)

	volunteer := partnership.BudgetLine{AgreementID: ag.ID, PartyID: assoc, Text: "Ideellt arbete", Category: "Ideellt arbete",
		Kind: partnership.InKind, Indexed: true, Amount: money.Kronor(282000),
		Basis: &partnership.Basis{Quantity: 1, UnitPrice: money.Kronor(25000), Unit: "kr/månad", ShareBP: 2000, Periods: 12,
			Persons: 2, Description: "20% av 25000 kr i 12 månader x 2 personer"}}
	created := mustLine(t, store, volunteer)
	if created.ID == 0 || created.Position != 1 || created.UpdatedAt.IsZero() {
		t.Fatalf("created %+v", created)
	}
	norm := created
	norm.ID, norm.Position, norm.UpdatedAt = 0, 0, time.Time{}
	if !reflect.DeepEqual(norm, volunteer) {
		t.Errorf("round trip:\n got  %+v\n want %+v", norm, volunteer)
	}
	salary := mustLine(t, store, partnership.BudgetLine{AgreementID: ag.ID, PartyID: muni, Section: "Löner", Text: "Verksamhetsledare",
		Kind: partnership.Cash, Indexed: true, Amount: money.Kronor(600000)})
	bus := mustLine(t, store, partnership.BudgetLine{AgreementID: ag.ID, PartyID: muni, Section: "Kunskapsutflykter", Text: "Busshyra",
		Kind: partnership.Cash, Amount: money.Kronor(120000)})
	if salary.Position != 1 || bus.Position != 2 || salary.Basis != nil {
		t.Errorf("positions %d %d, basis %+v", salary.Position, bus.Position, salary.Basis)
	}

	// The municipality is the first party: its lines come first.
	lines, err := store.Lines(ctx, ag.ID)
	if err != nil {
		t.Fatal(err)
	}
	var ids []int64
	for _, l := range lines {
		ids = append(ids, l.ID)
	}
	if want := []int64{salary.ID, bus.ID, created.ID}; !reflect.DeepEqual(ids, want) {
		t.Errorf("order %v, want %v", ids, want)
	}

	// Dropping a line's basis; a Position of 0 keeps a line where it is.
	edit := created
	edit.Basis, edit.Amount = nil, money.Kronor(120000)
	bus.Position = 0 // keeps its place
	if _, err := store.UpdateLine(ctx, bus); err != nil {
		t.Fatal(err)
	}
	updated, err := store.UpdateLine(ctx, edit)
	if err != nil || updated.Basis != nil || updated.Amount != money.Kronor(120000) || updated.Position != 1 ||
		!updated.UpdatedAt.After(created.UpdatedAt) {
		t.Errorf("update: %v %+v", err, updated)
	}
	accepted, err := store.AcceptLineDeviation(ctx, ag.ID, salary.ID, "Lön inklusive sociala avgifter")
	if err != nil || accepted.AcceptedNote != "Lön inklusive sociala avgifter" || !accepted.UpdatedAt.Equal(salary.UpdatedAt) {
		t.Errorf("accept: %v %+v", err, accepted)
	}

	// A line is found only through its own agreement, and names only its parties.
	if _, err := store.Line(ctx, other.ID, salary.ID); !errors.Is(err, partnership.ErrNotFound) {
		t.Errorf("line through another agreement: %v", err)
	}
	if _, err := store.AcceptLineDeviation(ctx, other.ID, salary.ID, "x"); !errors.Is(err, partnership.ErrNotFound) {
		t.Errorf("accept through another agreement: %v", err)
	}
	foreign := volunteer
	foreign.AgreementID = other.ID
	var verr partnership.ValidationError
	if _, err := store.CreateLine(ctx, foreign); !errors.As(err, &verr) || verr["party_id"] == "" {
		t.Errorf("party of another agreement: %v", err)
	}
	foreign.AgreementID = 999999
	if _, err := store.CreateLine(ctx, foreign); err == nil {
		t.Error("line of an unknown agreement stored")
	}

	// A party with budget lines stays in the agreement.
	drop := ag
	drop.Parties = drop.Parties[:1]
	err = db.InTx(ctx, func(tx pgx.Tx) error { _, err := postgres.NewAgreements(tx).Update(ctx, drop); return err })
	if !errors.As(err, &verr) || verr["party"] == "" {
		t.Errorf("remove a party with budget lines: %v", err)
	}

	deleted, err := store.DeleteLine(ctx, ag.ID, bus.ID)
	if err != nil || deleted.ID != bus.ID {
		t.Errorf("delete: %v %+v", err, deleted)
	}
	if _, err := store.DeleteLine(ctx, ag.ID, bus.ID); !errors.Is(err, partnership.ErrNotFound) {
		t.Errorf("delete twice: %v", err)
	}
}

func TestStatedTotals(t *testing.T) {
	t.Parallel()
	db := pgtest.New(t)
	ctx := context.Background()
	m, a := newOrgs(t, db)
	ag := newBudgetAgreement(t, db, m, a, "Inkludering på lika villkor", "2023-01-01", "2024-12-31")
	muni, assoc := ag.Parties[0].ID, ag.Parties[1].ID
	store := postgres.NewBudgets(db.Pool)
	mustTotal := func(st partnership.StatedTotal) partnership.StatedTotal {
		t.Helper()
		st.AgreementID = ag.ID
		created, err := store.CreateTotal(ctx, st)
		if err != nil {
			t.Fatalf("create total %q: %v", st.Label, err)
		}
		return created
	}
	whole := mustTotal(partnership.StatedTotal{Label: "Det sammanlagda värdet för insatsen", Amount: money.Kronor(910000)})
	assocTotal := mustTotal(partnership.StatedTotal{PartyID: assoc, Label: "Totalt", Amount: money.Kronor(450000)})
	muniTotal := mustTotal(partnership.StatedTotal{PartyID: muni, Label: "Totalt", Amount: money.Kronor(450000)})
	section := mustTotal(partnership.StatedTotal{PartyID: muni, Section: "Handledning", Amount: money.Kronor(330000)})
	if whole.PartyID != 0 || whole.Amount != money.Kronor(910000) || whole.Label != "Det sammanlagda värdet för insatsen" {
		t.Errorf("whole %+v", whole)
	}

	var verr partnership.ValidationError
	if _, err := store.CreateTotal(ctx, partnership.StatedTotal{AgreementID: ag.ID, Amount: 1}); !errors.As(err, &verr) || verr["section"] == "" {
		t.Errorf("second agreement total: %v", err)
	}
	if _, err := store.CreateTotal(ctx, partnership.StatedTotal{AgreementID: ag.ID, PartyID: muni, Section: "Handledning", Amount: 1}); !errors.As(err, &verr) {
		t.Errorf("second section total: %v", err)
	}

	totals, err := store.Totals(ctx, ag.ID)
	if err != nil {
		t.Fatal(err)
	}
	want := []partnership.StatedTotal{section, muniTotal, assocTotal, whole}
	if !reflect.DeepEqual(totals, want) {
		t.Errorf("totals\n got  %+v\n want %+v", totals, want)
	}

	whole.Amount, whole.Label = money.Kronor(900000), "Rättat"
	if got, err := store.UpdateTotal(ctx, whole); err != nil || got != whole {
		t.Errorf("update: %v %+v", err, got)
	}
	accepted, err := store.AcceptTotalDeviation(ctx, ag.ID, whole.ID, "Summan i avtalet är felräknad")
	if err != nil || accepted.AcceptedNote != "Summan i avtalet är felräknad" {
		t.Errorf("accept: %v %+v", err, accepted)
	}
	if got, err := store.Total(ctx, ag.ID, whole.ID); err != nil || got != accepted {
		t.Errorf("total: %v %+v", err, got)
	}
	if _, err := store.DeleteTotal(ctx, ag.ID, section.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := store.Total(ctx, ag.ID, section.ID); !errors.Is(err, partnership.ErrNotFound) {
		t.Errorf("after delete: %v", err)
	}

	line := mustLine(t, store, partnership.BudgetLine{AgreementID: ag.ID, PartyID: assoc, Text: "Lokalkostnader",
		Kind: partnership.InKind, Indexed: true, Amount: money.Kronor(75000)})
	budget, err := store.Budget(ctx, ag.ID)
	if err != nil || budget.AgreementID != ag.ID || len(budget.Lines) != 1 || budget.Lines[0].ID != line.ID || len(budget.Totals) != 3 {
		t.Errorf("budget: %v %+v", err, budget)
	}
}

func TestBudgetTablesRefuseInconsistentRows(t *testing.T) {
	t.Parallel()
	db := pgtest.New(t)
	ctx := context.Background()
	m, a := newOrgs(t, db)
	ag := newBudgetAgreement(t, db, m, a, "Hoppfull framtid", "2018-01-01", "2019-12-31")
	party := ag.Parties[0].ID
	for _, c := range []struct {
		name string
		sql  string
		args []any
	}{
		{"half a basis", `INSERT INTO budget_lines (agreement_id, party_id, position, text, kind, amount, basis_quantity)
			VALUES ($1, $2, 1, 'x', 'cash', 1, 2)`, []any{ag.ID, party}},
		{"unknown kind", `INSERT INTO budget_lines (agreement_id, party_id, position, text, kind, amount)
			VALUES ($1, $2, 1, 'x', 'gift', 1)`, []any{ag.ID, party}},
		{"negative amount", `INSERT INTO budget_lines (agreement_id, party_id, position, text, kind, amount)
			VALUES ($1, $2, 1, 'x', 'cash', -1)`, []any{ag.ID, party}},
		{"section total of no party", `INSERT INTO budget_stated_totals (agreement_id, section, amount) VALUES ($1, 'Löner', 1)`,
			[]any{ag.ID}},
	} {
		if _, err := db.Pool.Exec(ctx, c.sql, c.args...); err == nil {
			t.Errorf("%s: stored", c.name)
		}
	}
	bad := partnership.BudgetLine{PartyID: 1, Text: " ", Kind: "gift", Amount: -1,
		Basis: &partnership.Basis{Quantity: 0, ShareBP: 20000, Periods: 400, Persons: 0}}
	var verr partnership.ValidationError
	if err := bad.Validate(); !errors.As(err, &verr) {
		t.Fatalf("validate: %v", err)
	}
	for _, field := range []string{"text", "kind", "amount", "basis_quantity", "basis_share", "basis_periods", "basis_persons"} {
		if verr[field] == "" {
			t.Errorf("no message for %s: %v", field, verr)
		}
	}
}
