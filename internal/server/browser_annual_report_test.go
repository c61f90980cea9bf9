package server_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"iop/internal/demo"
)

// TestBrowserAnnualReportFromDraftToCommittee: IKF's staff write the
// narrative of 2024, save it as a draft and submit it; the officer reads
// it, looks at the return page, approves it and writes the portfolio's
// summary; the committee's viewer opens the portfolio and downloads its
// PDF within the session. Every page is checked with axe on the way.
func TestBrowserAnnualReportFromDraftToCommittee(t *testing.T) {
	a := newApp(t)
	ag := reportAgreement(t, a, "Webbläsarens årsrapport")
	report := "/agreements/" + itoa(ag.ID) + "/reports/2024"

	staff := newBrowser(t, a)
	staff.login(ikfEmail, demo.Password)
	staff.visit("/reports")
	staff.visit("/agreements/" + itoa(ag.ID))
	staff.submit(`[data-testid="reports-link"]`)
	staff.submit(`[data-testid="report-year"] a`) // the newest year first: 2024
	if got := staff.text(`[data-testid="report-state"]`); got != "Inte påbörjad" {
		t.Errorf("state before writing: %q", got)
	}
	staff.submit(`[data-testid="edit-report"]`)
	staff.do("write the first heading", chromedp.SetValue(chromedp.CSS("#activities"), "Promenader, utflykter och gruppsamtal varje vecka."))
	staff.submit(`[data-testid="save-draft"]`)
	if got := staff.text(`[data-testid="report-state"]`); got != "Utkast" {
		t.Errorf("state after saving: %q", got)
	}
	staff.submit(`[data-testid="edit-report"]`)
	if got := value(staff, "read the saved text", chromedp.Evaluate[string](`document.querySelector("#activities").value`)); got != "Promenader, utflykter och gruppsamtal varje vecka." {
		t.Errorf("the draft's text in the form: %q", got)
	}
	// Submitting with headings left empty keeps the text and names the fields.
	staff.submit(`[data-testid="submit-report"]`)
	if got := staff.text(`[data-testid="error-summary"]`); !strings.Contains(got, "Resultat") || !strings.Contains(got, "Nästa år") {
		t.Errorf("error summary %q", got)
	}
	staff.do("write the other headings",
		chromedp.SetValue(chromedp.CSS("#results"), "Gruppverksamheten når målgruppen."),
		chromedp.SetValue(chromedp.CSS("#lessons"), "Deltagarnas egna idéer styr aktiviteterna."),
		chromedp.SetValue(chromedp.CSS("#challenges"), "Språket är ett hinder för många."),
		chromedp.SetValue(chromedp.CSS("#next_year"), "Fortsatt verksamhet och fler gruppträffar."))
	staff.submit(`[data-testid="submit-report"]`)
	if got := staff.text(`[data-testid="report-state"]`); got != "Inlämnad" {
		t.Errorf("state after submitting: %q", got)
	}
	if got := staff.text(`[data-testid="narrative-lessons"]`); got != "Deltagarnas egna idéer styr aktiviteterna." {
		t.Errorf("lessons on the page: %q", got)
	}

	officer := newBrowser(t, a)
	officer.login(officerEmail, demo.Password)
	officer.visit("/reports")
	officer.visit(report)
	officer.submit(`[data-testid="return-report"]`)
	officer.visit(report)
	officer.submit(`[data-testid="approve-report"]`)
	officer.submit(`[data-testid="confirm-step"]`)
	if got := officer.text(`[data-testid="report-state"]`); got != "Godkänd" {
		t.Errorf("state after approving: %q", got)
	}
	if got := officer.text(`[data-testid="figures-note"]`); !strings.Contains(got, "när rapporten godkändes") {
		t.Errorf("figures note after approval: %q", got)
	}
	officer.visit("/reports/2024")
	officer.do("write the summary", chromedp.SetValue(chromedp.CSS("#summary"), "Portföljen följer i stort sett planen."))
	officer.submit(`[data-testid="summary-form"] button[type="submit"]`)

	viewer := newBrowser(t, a)
	viewer.login(viewerEmail, demo.Password)
	viewer.visit(report)
	if got := viewer.text(`[data-testid="report-state"]`); got != "Godkänd" {
		t.Errorf("viewer sees state %q", got)
	}
	if n := len(viewer.texts(`[data-testid="edit-report"], [data-testid="approve-report"], [data-testid="comment-form"]`)); n != 0 {
		t.Errorf("viewer is offered %d actions", n)
	}
	viewer.visit("/reports")
	viewer.submit(`[data-testid="reports-2024"] [data-testid="portfolio-link"]`)
	if got := viewer.text(`[data-testid="summary"]`); got != "Portföljen följer i stort sett planen." {
		t.Errorf("viewer reads the summary %q", got)
	}
	if got := viewer.text(`[data-testid="figures-note"]`); !strings.Contains(got, "färre än 5 personer") {
		t.Errorf("viewer's figures note %q: the figures are not disclosed", got)
	}
	// The download, fetched within the viewer's session as the link's click would.
	raw := value(viewer, "download the portfolio PDF", chromedp.Evaluate[string](`(async () => {
		const href = document.querySelector('[data-testid="portfolio-pdf"]').href;
		const res = await fetch(href);
		const head = new TextDecoder().decode((await res.arrayBuffer()).slice(0, 5));
		return JSON.stringify({status: res.status, type: res.headers.get("Content-Type"), head: head});
	})()`, chromedp.EvalAwaitPromise))
	var pdf struct {
		Status int
		Type   string
		Head   string
	}
	if err := json.Unmarshal([]byte(raw), &pdf); err != nil {
		t.Fatal(err)
	}
	if pdf.Status != 200 || !strings.HasPrefix(pdf.Type, "application/pdf") || pdf.Head != "%PDF-" {
		t.Errorf("portfolio PDF: status %d, Content-Type %q, starts %q", pdf.Status, pdf.Type, pdf.Head)
	}
}
