package server_test

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

func TestBrowserOfficerAcceptsBudgetDeviation(t *testing.T) {
	a := newApp(t)
	ikf := budAgreement(t, a, budIKF)
	b := newBrowser(t, a)
	b.login(officerEmail, "demo-iop-2026")

	// From the agreement page to its budget.
	b.visit(agPath(ikf.ID))
	b.submit(`[data-testid="budget-link"]`)
	if got := b.text("h1"); got != "Budget" {
		t.Fatalf("budget page heading %q", got)
	}
	devs := b.texts(`[data-testid="deviation"]`)
	if len(devs) != 1 || !strings.Contains(devs[0], kr("910 000 kr")) || !strings.Contains(devs[0], kr("900 000 kr")) ||
		!strings.Contains(devs[0], "Ej godkänd") {
		t.Fatalf("deviations %q", devs)
	}
	if got := b.text(`[data-testid="deviation-diff"]`); got != kr("10 000 kr") {
		t.Errorf("difference %q", got)
	}

	// Accepting needs an explanation.
	b.submit(`[data-testid="accept-deviation"]`)
	if got := b.text(`[data-testid="deviation-facts"] [data-testid="deviation-diff"]`); got != kr("10 000 kr") {
		t.Errorf("accept form shows the difference %q", got)
	}
	b.submit(`[data-testid="deviation-form"] button[type="submit"]`)
	if got := b.text(`[data-testid="error-summary"]`); !strings.Contains(got, "Skriv varför avvikelsen godtas.") {
		t.Errorf("error summary %q", got)
	}
	b.do("explain", chromedp.SetValue(chromedp.CSS("#accepted_note"), "Underlaget avrundar; posternas 900 000 kr gäller."))
	b.submit(`[data-testid="deviation-form"] button[type="submit"]`)
	if got := b.text(`[data-testid="flash"]`); !strings.Contains(got, "Avvikelsen godtogs") {
		t.Errorf("flash %q", got)
	}
	if got := b.text(`[data-testid="deviation-status"]`); got != "Godkänd: Underlaget avrundar; posternas 900 000 kr gäller." {
		t.Errorf("status %q", got)
	}

	// The budget per year.
	b.submit(`[data-testid="budget-links"] [data-testid="budget-years-link"]`)
	if got := b.texts(`[data-testid="year-column"]`); len(got) != 2 || !strings.HasPrefix(got[0], "2023") || !strings.HasPrefix(got[1], "2024") {
		t.Errorf("year columns %q", got)
	}
	var municipal string
	for _, row := range b.texts(`[data-testid="year-party-total"]`) {
		if strings.Contains(row, budMunicipality) {
			municipal = row
		}
	}
	if !strings.Contains(municipal, kr("450 000 kr")) || !strings.Contains(municipal, kr("459 000 kr")) {
		t.Errorf("municipal total row %q", municipal)
	}

	// The forms of the budget and of the agreement's index terms.
	b.visit(agPath(ikf.ID) + "/budget/lines/new")
	b.visit(agPath(ikf.ID) + "/budget/totals/new")
	b.visit(agPath(ikf.ID) + "/edit")
	kisam := budAgreement(t, a, budKISAM)
	b.visit(agPath(kisam.ID) + "/budget")
	if n := len(b.texts(`[data-testid="deviation"]`)); n != 5 {
		t.Errorf("KISAM shows %d deviations", n)
	}
	b.visit(agPath(kisam.ID) + "/budget/years")
	if got := b.text(`[data-testid="years-message"]`); !strings.Contains(got, "saknar startdatum eller slutdatum") {
		t.Errorf("KISAM's years %q", got)
	}
}
