package postgres_test

import (
	"context"
	"errors"
	"reflect"
	"testing"
	"time"

	"iop/internal/money"
	"iop/internal/partnership"
	"iop/internal/postgres"
	"iop/internal/postgres/pgtest"
)

func TestInvoiceStoreVersionsAndStatus(t *testing.T) {
	t.Parallel()
	db := pgtest.New(t)
	ctx := context.Background()
	m, a := newOrgs(t, db)
	ag := newBudgetAgreement(t, db, m, a, "Inkludering på lika villkor", "2023-01-01", "2024-12-31")
	other := newBudgetAgreement(t, db, m, a, "Hoppfull framtid", "2018-01-01", "2019-12-31")
	store := postgres.NewInvoices(db.Pool)

	want := partnership.Invoice{AgreementID: ag.ID, Number: "2024-17", InvoiceDate: *date("2024-01-31"), Year: 2024,
		Period: 1, Amount: money.Kronor(459000), Note: "Helår 2024"}
	created, err := store.Create(ctx, want)
	if err != nil {
		t.Fatal(err)
	}
	if created.ID == 0 || created.Version != 1 || created.Status != partnership.InvoiceReceived || created.CreatedAt.IsZero() {
		t.Fatalf("created %+v", created)
	}
	norm := created
	norm.ID, norm.Version, norm.Status, norm.CreatedAt, norm.UpdatedAt = 0, 0, "", time.Time{}, time.Time{}
	if !reflect.DeepEqual(norm, want) {
		t.Errorf("round trip:\n got  %+v\n want %+v", norm, want)
	}
	var verr partnership.ValidationError
	if _, err := store.Create(ctx, want); !errors.As(err, &verr) || verr["number"] == "" {
		t.Errorf("same number twice: %v", err)
	}
	elsewhere := want
	elsewhere.AgreementID = other.ID
	if _, err := store.Create(ctx, elsewhere); err != nil {
		t.Errorf("same number for another agreement: %v", err)
	}
	elsewhere.AgreementID = 999999
	if _, err := store.Create(ctx, elsewhere); !errors.Is(err, partnership.ErrNotFound) {
		t.Errorf("unknown agreement: %v", err)
	}

	edit := created
	edit.Amount, edit.Note = money.Kronor(450000), "Utan indexering"
	updated, err := store.Update(ctx, edit)
	if err != nil || updated.Version != 2 || updated.Amount != money.Kronor(450000) || updated.Note != "Utan indexering" {
		t.Fatalf("update: %v %+v", err, updated)
	}
	// An edit based on version 1 is refused and changes nothing.
	stale := created
	stale.Amount = 1
	if _, err := store.Update(ctx, stale); !errors.Is(err, partnership.ErrConflict) {
		t.Errorf("stale update: %v", err)
	}
	if got, _ := store.ByID(ctx, ag.ID, created.ID); got.Amount != money.Kronor(450000) || got.Version != 2 {
		t.Errorf("after a refused update: %+v", got)
	}
	gone := edit
	gone.AgreementID = other.ID
	if _, err := store.Update(ctx, gone); !errors.Is(err, partnership.ErrNotFound) {
		t.Errorf("update through another agreement: %v", err)
	}

	// received → approved → paid, one step at a time, each at the current version.
	if _, err := store.SetStatus(ctx, ag.ID, created.ID, 2, partnership.InvoicePaid); !errors.Is(err, partnership.ErrConflict) {
		t.Errorf("received → paid: %v", err)
	}
	if _, err := store.SetStatus(ctx, ag.ID, created.ID, 1, partnership.InvoiceApproved); !errors.Is(err, partnership.ErrConflict) {
		t.Errorf("approve from version 1: %v", err)
	}
	approved, err := store.SetStatus(ctx, ag.ID, created.ID, 2, partnership.InvoiceApproved)
	if err != nil || approved.Status != partnership.InvoiceApproved || approved.Version != 3 {
		t.Fatalf("approve: %v %+v", err, approved)
	}
	if _, err := store.SetStatus(ctx, ag.ID, created.ID, 3, partnership.InvoiceReceived); !errors.Is(err, partnership.ErrConflict) {
		t.Errorf("approved → received: %v", err)
	}
	if _, err := store.Delete(ctx, ag.ID, created.ID, 3); !errors.Is(err, partnership.ErrConflict) {
		t.Errorf("delete an approved invoice: %v", err)
	}
	paid, err := store.SetStatus(ctx, ag.ID, created.ID, 3, partnership.InvoicePaid)
	if err != nil || paid.Status != partnership.InvoicePaid || paid.Version != 4 {
		t.Fatalf("pay: %v %+v", err, paid)
	}
	if _, err := store.SetStatus(ctx, other.ID, created.ID, 4, partnership.InvoicePaid); !errors.Is(err, partnership.ErrNotFound) {
		t.Errorf("status through another agreement: %v", err)
	}

	q1, err := store.Create(ctx, partnership.Invoice{AgreementID: ag.ID, Number: "2023-4", InvoiceDate: *date("2023-02-01"),
		Year: 2023, Period: 1, Amount: money.Kronor(450000)})
	if err != nil {
		t.Fatal(err)
	}
	list, err := store.List(ctx, ag.ID)
	if err != nil || len(list) != 2 || list[0].ID != q1.ID || list[1].ID != created.ID {
		t.Errorf("list: %v %+v", err, list)
	}
	if deleted, err := store.Delete(ctx, ag.ID, q1.ID, 1); err != nil || deleted.ID != q1.ID {
		t.Errorf("delete: %v %+v", err, deleted)
	}
	if _, err := store.ByID(ctx, ag.ID, q1.ID); !errors.Is(err, partnership.ErrNotFound) {
		t.Errorf("after delete: %v", err)
	}
}

func TestInvoiceOverviewSumsPerAgreement(t *testing.T) {
	t.Parallel()
	db := pgtest.New(t)
	ctx := context.Background()
	m, a := newOrgs(t, db)
	other, err := postgres.NewOrganisations(db.Pool).Create(ctx, partnership.Organisation{Name: "Linköpings Stadsmission", Kind: partnership.OrgAssociation})
	if err != nil {
		t.Fatal(err)
	}
	ikf := newBudgetAgreement(t, db, m, a, "Inkludering på lika villkor", "2023-01-01", "2024-12-31")
	sm := newBudgetAgreement(t, db, m, other, "Hoppfull framtid", "2024-07-01", "2025-12-31")
	newBudgetAgreement(t, db, m, a, "Avslutad", "2020-01-01", "2021-12-31")
	budgets := postgres.NewBudgets(db.Pool)
	cash := mustLine(t, budgets, partnership.BudgetLine{AgreementID: ikf.ID, PartyID: ikf.Parties[0].ID, Text: "Handledning",
		Kind: partnership.Cash, Indexed: true, Amount: money.Kronor(330000)})
	admin := mustLine(t, budgets, partnership.BudgetLine{AgreementID: ikf.ID, PartyID: ikf.Parties[0].ID, Text: "Administration",
		Kind: partnership.Cash, Indexed: true, Amount: money.Kronor(120000)})
	inKind := mustLine(t, budgets, partnership.BudgetLine{AgreementID: ikf.ID, PartyID: ikf.Parties[1].ID, Text: "Lokalkostnader",
		Kind: partnership.InKind, Indexed: true, Amount: money.Kronor(75000)})
	mustLine(t, budgets, partnership.BudgetLine{AgreementID: sm.ID, PartyID: sm.Parties[0].ID, Text: "Heltidstjänst",
		Kind: partnership.Cash, Indexed: true, Amount: money.Kronor(550000)})
	if _, err := postgres.NewYearAmounts(db.Pool).Upsert(ctx, ikf.ID, 2024,
		yearAmounts(cash.ID, 33660000, admin.ID, 12240000, inKind.ID, 7650000)); err != nil {
		t.Fatal(err)
	}

	store := postgres.NewInvoices(db.Pool)
	record := func(ag partnership.Agreement, number string, year, period int, kr int64, to ...partnership.InvoiceStatus) {
		t.Helper()
		inv, err := store.Create(ctx, partnership.Invoice{AgreementID: ag.ID, Number: number, InvoiceDate: *date("2024-12-31"),
			Year: year, Period: period, Amount: money.Kronor(kr)})
		if err != nil {
			t.Fatal(err)
		}
		for _, st := range to {
			if inv, err = store.SetStatus(ctx, ag.ID, inv.ID, inv.Version, st); err != nil {
				t.Fatal(err)
			}
		}
	}
	record(ikf, "1", 2024, 1, 400000, partnership.InvoiceApproved, partnership.InvoicePaid)
	record(ikf, "2", 2024, 1, 59000, partnership.InvoiceApproved)
	record(ikf, "3", 2023, 1, 450000, partnership.InvoiceApproved, partnership.InvoicePaid)
	record(sm, "Q3", 2024, 3, 137500)

	officer := partnership.User{ID: 1, Role: partnership.RoleOfficer}
	rows, err := store.InvoiceOverview(ctx, 2024, officer)
	if err != nil {
		t.Fatal(err)
	}
	want := []postgres.InvoiceOverviewRow{
		{AgreementID: sm.ID, Title: "Hoppfull framtid", Invoices: 1, Invoiced: money.Kronor(137500), Materialised: false},
		{AgreementID: ikf.ID, Title: "Inkludering på lika villkor", Invoices: 2, Invoiced: money.Kronor(459000),
			Approved: money.Kronor(459000), Paid: money.Kronor(400000), Expected: money.Kronor(459000), Materialised: true},
	}
	if !reflect.DeepEqual(rows, want) {
		t.Errorf("overview 2024\n got  %+v\n want %+v", rows, want)
	}
	// An agreement that does not cover the year still shows when it has invoices for it.
	staff := partnership.User{ID: 2, Role: partnership.RoleAssociationStaff, OrganisationID: &other.ID}
	record(ikf, "4", 2025, 1, 1000)
	rows, err = store.InvoiceOverview(ctx, 2025, officer)
	if err != nil || len(rows) != 2 || rows[0].AgreementID != sm.ID || rows[1].AgreementID != ikf.ID || rows[1].Invoiced != money.Kronor(1000) {
		t.Errorf("overview 2025: %v %+v", err, rows)
	}
	// Association staff see their own organisation's agreements only.
	rows, err = store.InvoiceOverview(ctx, 2025, staff)
	if err != nil || len(rows) != 1 || rows[0].AgreementID != sm.ID {
		t.Errorf("staff overview: %v %+v", err, rows)
	}
	none := partnership.User{ID: 3, Role: partnership.RoleAssociationStaff}
	if rows, err := store.InvoiceOverview(ctx, 2024, none); err != nil || len(rows) != 0 {
		t.Errorf("staff without organisation: %v %+v", err, rows)
	}
}
