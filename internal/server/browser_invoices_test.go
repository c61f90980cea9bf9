package server_test

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

const invoiceSubmit = `[data-testid="invoice-form"] button[type="submit"]`

func TestBrowserOfficerRecordsInvoiceThatDeviates(t *testing.T) {
	a := newApp(t)
	ikf := invDemoAgreement(t, a, ikfTitle)
	b := newBrowser(t, a)
	b.login(officerEmail, "demo-iop-2026")

	b.visit(agreementURL(ikf.ID))
	b.submit(`[data-testid="invoices-link"]`)
	if got := b.text(`[data-testid="expected-2024"] [data-testid="expected-amount"]`); got != "459\u00a0000\u00a0kr" {
		t.Errorf("expected for 2024: %q", got)
	}
	if got := b.text(`[data-testid="expected-2024"] [data-testid="invoice-label"]`); got != ikfLabel2024 {
		t.Errorf("invoice label for 2024: %q", got)
	}

	// A form sent without a number or an amount is shown again with errors.
	b.submit(`[data-testid="new-invoice"]`)
	b.submit(invoiceSubmit)
	if got := b.text(`[data-testid="error-summary"]`); !strings.Contains(got, "Fakturanummer") || !strings.Contains(got, "Belopp") {
		t.Errorf("error summary %q", got)
	}

	b.do("fill in the invoice",
		chromedp.SetValue(chromedp.CSS("#number"), "2024-17"),
		chromedp.SetValue(chromedp.CSS("#invoice_date"), "2024-02-15"),
		chromedp.SetValue(chromedp.CSS("#year"), "2024"),
		chromedp.SetValue(chromedp.CSS("#amount"), "450 000 kr"))
	b.submit(invoiceSubmit)
	if got := b.text(`[data-testid="flash"]`); !strings.HasPrefix(got, "Faktura 2024-17 registrerades.") {
		t.Errorf("flash %q", got)
	}
	if got := b.text(`[data-testid="invoice-warning"]`); !strings.HasPrefix(got, deviation9000) {
		t.Errorf("warning %q, want it to start with %q", got, deviation9000)
	}

	// Approving asks first, then locks the year.
	b.submit(`[data-testid="approve-link"]`)
	b.submit(`[data-testid="confirm"]`)
	if got := b.text(`[data-testid="invoice-status"]`); got != "Godkänd" {
		t.Errorf("status after approval %q", got)
	}
	if got := b.text(`[data-testid="expected-source-2024"]`); !strings.Contains(got, "Året är låst") {
		t.Errorf("2024 after approval: %q", got)
	}

	// Paid once the municipality has paid; a paid invoice no longer changes.
	b.submit(`[data-testid="paid-link"]`)
	b.submit(`[data-testid="confirm"]`)
	if got := b.text(`[data-testid="invoice-status"]`); got != "Betald" {
		t.Errorf("status after payment %q", got)
	}
	b.submit(`[data-testid="invoice-row"] a[aria-label^="Ändra"]`)
	if got := b.text(`[data-testid="invoice-locked"]`); got != "Fakturan är betald och kan inte längre ändras." {
		t.Errorf("a paid invoice's page says %q", got)
	}

	b.visit("/invoices?year=2024")
	if got := b.texts(`[data-testid="overview-title"]`); len(got) != 1 || got[0] != ikfTitle {
		t.Errorf("overview lists %q", got)
	}

	// The association's staff see their invoices, read only.
	b.submit(`.signed-in button[type="submit"]`)
	b.login(ikfEmail, "demo-iop-2026")
	b.visit(invoicesURL(ikf.ID))
	if got := b.text(`[data-testid="invoice-warning"]`); !strings.HasPrefix(got, deviation9000) {
		t.Errorf("staff see the warning as %q", got)
	}
	b.visit("/invoices?year=2024")
}
