package server_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"iop/internal/money"
	"iop/internal/partnership"
	"iop/internal/postgres"
)

func TestInvoiceApprovePayAndRefusedSteps(t *testing.T) {
	a := newApp(t)
	ctx := context.Background()
	ikf := invDemoAgreement(t, a, ikfTitle)
	id := storeInvoice(t, a, ikf.ID, "2024-17")
	path := invoicesURL(ikf.ID) + "/" + itoa(id)
	c := loggedIn(a, officerEmail)
	version := url.Values{"version": {"1"}}

	// Paying a received invoice would skip the approval.
	if res := c.get(path + "/paid"); res.StatusCode != http.StatusConflict {
		t.Errorf("pay confirmation of a received invoice: %d", res.StatusCode)
	}
	if res := c.post(path+"/paid", version); res.StatusCode != http.StatusConflict {
		t.Errorf("pay a received invoice: %d", res.StatusCode)
	}
	// Without the version the confirmation page carried, nothing happens.
	if res := c.post(path+"/approve", nil); res.StatusCode != http.StatusConflict {
		t.Errorf("approve without a version: %d", res.StatusCode)
	}

	res := c.get(path + "/approve")
	if res.StatusCode != http.StatusOK || !strings.Contains(res.Body, `name="version" value="1"`) ||
		!strings.Contains(res.Body, "låses budgetens belopp för 2024") {
		t.Fatalf("approve confirmation: %d\n%s", res.StatusCode, res.Body)
	}
	if res := c.post(path+"/approve", version); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("approve: %d\n%s", res.StatusCode, res.Body)
	}
	years := postgres.NewYearAmounts(a.db.Pool)
	if locked, err := years.YearLocked(ctx, ikf.ID, 2024); err != nil || !locked {
		t.Errorf("2024 locked after approval: %v %v", locked, err)
	}
	if locked, _ := years.YearLocked(ctx, ikf.ID, 2023); locked {
		t.Error("approving a 2024 invoice locked 2023")
	}
	locks, err := years.Locks(ctx, ikf.ID)
	if err != nil || len(locks) != 1 || locks[0].Reason != "Faktura 2024-17 godkänd" {
		t.Errorf("locks %+v %v", locks, err)
	}
	// The locked year holds its amounts: the municipality's 459 000 kr.
	amounts, err := years.ForAgreement(ctx, ikf.ID)
	if err != nil {
		t.Fatal(err)
	}
	var municipal money.Amount
	n := 0
	for _, y := range amounts {
		if y.Year == 2024 {
			n++
			if !y.Locked {
				t.Errorf("line %d of 2024 not locked", y.LineID)
			}
			if y.LineID == ikfLine(t, a, ikf, "Handledning för gruppverksamheten") || y.LineID == ikfLine(t, a, ikf, "Administration/ekonomi") {
				municipal = money.Sum(municipal, y.Amount)
			}
		}
	}
	if n != 5 || municipal != money.Kronor(459000) {
		t.Errorf("2024 amounts: %d lines, municipal %s", n, municipal)
	}
	if got := invoiceAudits(t, a, ikf.ID, "invoice.approve"); got != 1 {
		t.Errorf("invoice.approve events: %d", got)
	}
	page := c.get(invoicesURL(ikf.ID))
	if !strings.Contains(page.Body, approveSuccess) || !strings.Contains(page.Body, "Året är låst (Faktura 2024-17 godkänd)") {
		t.Errorf("after approval the page says:\n%s", page.Body)
	}

	// Approved: not again, not deleted, not edited.
	two := url.Values{"version": {"2"}}
	for _, step := range []string{"/approve", "/delete"} {
		if res := c.get(path + step); res.StatusCode != http.StatusConflict {
			t.Errorf("GET %s of an approved invoice: %d", step, res.StatusCode)
		}
		if res := c.post(path+step, two); res.StatusCode != http.StatusConflict {
			t.Errorf("POST %s of an approved invoice: %d", step, res.StatusCode)
		}
	}
	edit := invoiceForm("2024-17", "2024-01-31", "2024", "1", "1 kr")
	edit.Set("version", "2")
	if res := c.post(path, edit); res.StatusCode != http.StatusConflict || !strings.Contains(res.Body, `data-testid="invoice-locked"`) {
		t.Errorf("edit an approved invoice: %d", res.StatusCode)
	}

	if res := c.get(path + "/paid"); res.StatusCode != http.StatusOK {
		t.Errorf("pay confirmation: %d", res.StatusCode)
	}
	if res := c.post(path+"/paid", two); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("pay: %d", res.StatusCode)
	}
	if got := readInvoice(t, a, ikf.ID, id); got.Status != partnership.InvoicePaid || got.Amount != money.Kronor(100) {
		t.Errorf("after payment: %+v", got)
	}
	if res := c.post(path+"/paid", url.Values{"version": {"3"}}); res.StatusCode != http.StatusConflict {
		t.Errorf("pay twice: %d", res.StatusCode)
	}
	if got := invoiceAudits(t, a, ikf.ID, "invoice.pay"); got != 1 {
		t.Errorf("invoice.pay events: %d", got)
	}
}

// ikfLine is the id of one of the agreement's budget lines, by its text.
func ikfLine(t *testing.T, a *app, ag partnership.Agreement, text string) int64 {
	t.Helper()
	lines, err := postgres.NewBudgets(a.db.Pool).Lines(context.Background(), ag.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range lines {
		if l.Text == text {
			return l.ID
		}
	}
	t.Fatalf("no line %q", text)
	return 0
}

func TestInvoiceDeleteWhileReceived(t *testing.T) {
	a := newApp(t)
	ikf := invDemoAgreement(t, a, ikfTitle)
	id := storeInvoice(t, a, ikf.ID, "D-1")
	path := invoicesURL(ikf.ID) + "/" + itoa(id)
	c := loggedIn(a, adminEmail)
	if res := c.get(path + "/delete"); res.StatusCode != http.StatusOK || !strings.Contains(res.Body, "kan inte återställas") {
		t.Fatalf("delete confirmation: %d", res.StatusCode)
	}
	if res := c.post(path+"/delete", url.Values{"version": {"1"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("delete: %d", res.StatusCode)
	}
	if _, err := postgres.NewInvoices(a.db.Pool).ByID(context.Background(), ikf.ID, id); err == nil {
		t.Error("the invoice is still there")
	}
	if got := invoiceAudits(t, a, ikf.ID, "invoice.delete"); got != 1 {
		t.Errorf("invoice.delete events: %d", got)
	}
	if res := c.get(path); res.StatusCode != http.StatusNotFound {
		t.Errorf("deleted invoice: %d", res.StatusCode)
	}
}
