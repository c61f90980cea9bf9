package partnership_test

import (
	"errors"
	"testing"
	"time"

	"iop/internal/money"
	"iop/internal/partnership"
)

// fields lists the fields err has messages for.
func fields(t *testing.T, err error) map[string]bool {
	t.Helper()
	out := map[string]bool{}
	if err == nil {
		return out
	}
	var verr partnership.ValidationError
	if !errors.As(err, &verr) {
		t.Fatalf("not a validation error: %v", err)
	}
	for f := range verr {
		out[f] = true
	}
	return out
}

func TestBudgetLineValidate(t *testing.T) {
	t.Parallel()
	good := partnership.BudgetLine{PartyID: 1, Text: "Skapande material", Kind: partnership.Cash, Indexed: true,
		Amount: money.Kronor(40000), Basis: &partnership.Basis{Quantity: 1, UnitPrice: money.Kronor(800), Unit: "kr/vecka",
			ShareBP: partnership.FullShareBP, Periods: 47, Persons: 1, Description: "800 kr/vecka x 47 veckor"}}
	if err := good.Validate(); err != nil {
		t.Fatalf("good line: %v", err)
	}
	hoursOnly := good
	hoursOnly.Basis = &partnership.Basis{Quantity: 1200, Unit: "h/år", ShareBP: partnership.FullShareBP, Periods: 1, Persons: 1}
	if err := hoursOnly.Validate(); err != nil || hoursOnly.Basis.Priced() {
		t.Errorf("a basis of hours without a price: %v", err)
	}
	for name, c := range map[string]struct {
		change func(l *partnership.BudgetLine)
		field  string
	}{
		"no party":         {func(l *partnership.BudgetLine) { l.PartyID = 0 }, "party_id"},
		"blank text":       {func(l *partnership.BudgetLine) { l.Text = "  " }, "text"},
		"unknown kind":     {func(l *partnership.BudgetLine) { l.Kind = "gift" }, "kind"},
		"negative amount":  {func(l *partnership.BudgetLine) { l.Amount = -1 }, "amount"},
		"too large amount": {func(l *partnership.BudgetLine) { l.Amount = partnership.MaxBudgetAmount + 1 }, "amount"},
		"share above 100":  {func(l *partnership.BudgetLine) { l.Basis.ShareBP = 10001 }, "basis_share"},
		"no periods":       {func(l *partnership.BudgetLine) { l.Basis.Periods = 0 }, "basis_periods"},
		"no persons":       {func(l *partnership.BudgetLine) { l.Basis.Persons = 0 }, "basis_persons"},
		"no quantity":      {func(l *partnership.BudgetLine) { l.Basis.Quantity = 0 }, "basis_quantity"},
		"empty basis": {func(l *partnership.BudgetLine) {
			l.Basis = &partnership.Basis{Quantity: 1, ShareBP: partnership.FullShareBP, Periods: 1, Persons: 1}
		}, "basis_description"},
	} {
		l := good
		b := *good.Basis
		l.Basis = &b
		c.change(&l)
		if got := fields(t, l.Validate()); !got[c.field] {
			t.Errorf("%s: fields %v, want %s", name, got, c.field)
		}
	}
}

func TestStatedTotalAndRateValidate(t *testing.T) {
	t.Parallel()
	if err := (partnership.StatedTotal{Label: "Det sammanlagda värdet", Amount: money.Kronor(910000)}).Validate(); err != nil {
		t.Errorf("agreement total: %v", err)
	}
	if got := fields(t, partnership.StatedTotal{Section: "Löner", Amount: 1}.Validate()); !got["section"] {
		t.Errorf("a section total without a party: %v", got)
	}
	if got := fields(t, partnership.StatedTotal{PartyID: 1, Amount: -1}.Validate()); !got["amount"] {
		t.Errorf("negative total: %v", got)
	}
	for _, r := range []partnership.IndexRate{{Year: 2024, RateBP: 0}, {Year: 2024, RateBP: -50}, {Year: 2100, RateBP: partnership.MaxIndexRateBP}} {
		if err := r.Validate(); err != nil {
			t.Errorf("%+v: %v", r, err)
		}
	}
	if got := fields(t, partnership.IndexRate{Year: 1999, RateBP: -10000}.Validate()); !got["year"] || !got["rate"] {
		t.Errorf("bad rate: %v", got)
	}
	a := partnership.Agreement{IndexMode: partnership.IndexFixed, IndexRateBP: 200}
	if err := a.ValidateEconomy(); err != nil {
		t.Errorf("fixed 2 %%: %v", err)
	}
	a = partnership.Agreement{IndexMode: "yearly", IndexRateBP: 10001, VolunteerHourRate: -1}
	if got := fields(t, a.ValidateEconomy()); !got["index_mode"] || !got["index_rate"] || !got["volunteer_hour_rate"] {
		t.Errorf("bad economy: %v", got)
	}
}

func TestInvoiceValidateAndStatus(t *testing.T) {
	t.Parallel()
	inv := partnership.Invoice{Number: "1", InvoiceDate: time.Date(2024, 3, 31, 0, 0, 0, 0, time.UTC), Year: 2024, Period: 2,
		Amount: money.Kronor(114750), Status: partnership.InvoiceReceived}
	if err := inv.Validate(partnership.InvoiceQuarterly); err != nil {
		t.Errorf("quarter 2: %v", err)
	}
	for _, f := range []partnership.InvoiceFrequency{partnership.InvoiceYearly, ""} {
		if got := fields(t, inv.Validate(f)); !got["period"] {
			t.Errorf("period 2 under %q terms: %v", f, got)
		}
	}
	if got := fields(t, partnership.Invoice{Status: "lost"}.Validate(partnership.InvoiceMonthly)); len(got) != 6 {
		t.Errorf("empty invoice: %v", got)
	}
	if err := inv.MarkPaid(); !errors.Is(err, partnership.ErrConflict) || inv.Status != partnership.InvoiceReceived {
		t.Errorf("pay before approval: %v %s", err, inv.Status)
	}
	if err := inv.Approve(); err != nil || inv.Status != partnership.InvoiceApproved {
		t.Errorf("approve: %v %s", err, inv.Status)
	}
	if err := inv.Approve(); !errors.Is(err, partnership.ErrConflict) {
		t.Errorf("approve twice: %v", err)
	}
	if err := inv.MarkPaid(); err != nil || inv.Status != partnership.InvoicePaid || inv.Status.Next() != "" {
		t.Errorf("pay: %v %s", err, inv.Status)
	}
	if partnership.InvoiceApproved.CanBecome(partnership.InvoiceReceived) || partnership.InvoicePaid.CanBecome("") {
		t.Error("a status goes backwards or nowhere")
	}
}
