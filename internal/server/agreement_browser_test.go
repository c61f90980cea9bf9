package server_test

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"iop/internal/demo"
	"iop/internal/postgres"
)

// agFill sets form fields by id, as a user typing or choosing would.
func (b *browser) agFill(what string, fields map[string]string) {
	b.t.Helper()
	var steps []chromedp.Action[chromedp.Void]
	for id, v := range fields {
		steps = append(steps, chromedp.SetValue(chromedp.CSS("#"+id), v))
	}
	b.do(what, steps...)
}

// agChecklistPresent reads whether a checklist item is marked present.
func (b *browser) agChecklistPresent(key string) string {
	b.t.Helper()
	return value(b, "checklist "+key, chromedp.Evaluate[string](
		`document.querySelector('[data-testid="checklist"] li[data-key="`+key+`"]').dataset.present`))
}

func TestBrowserOfficerRunsAnAgreementsLife(t *testing.T) {
	a := newApp(t)
	agSetToday(a, "2026-03-05")
	b := newBrowser(t, a)
	b.login(officerEmail, demo.Password)

	b.visit("/agreements/new")
	b.agFill("fill in the agreement", map[string]string{
		"title": "Kvinnor i arbete", "case_number": "AMN 2025/318", "committee": "Arbetsmarknadsnämnden",
		"start_date": "2026-01-01", "end_date": "2027-12-31", "notice_months": "6", "extension_months": "12",
		"max_extensions": "2", "representatives_per_party": "1",
		"purpose": "Att fler kvinnor får arbete.\n\n- språk\n- praktik",
	})
	b.submit(`[data-testid="agreement-form"] button[type="submit"]`)
	if got := b.text(`[data-testid="flash"]`); got != "Överenskommelsen Kvinnor i arbete skapades som utkast." {
		t.Fatalf("flash %q", got)
	}
	if got := b.agChecklistPresent("parties"); got != "false" {
		t.Errorf("a new draft's parties marked %s", got)
	}
	agreementURL := value(b, "location", chromedp.Location())
	path := strings.TrimPrefix(agreementURL, a.srv.URL)

	parties := []struct{ org, role, signatory, title, rep string }{
		{"Linköpings kommun", "municipality", "Karin Ordförande", "Ordförande, arbetsmarknadsnämnden", "Anna Andersson, enhetschef"},
		{ikfOrganisation, "lead_association", "Fatima Ali", "Ordförande", "Amina Hassan, verksamhetsledare"},
	}
	for _, p := range parties {
		b.visit(path + "/parties/new")
		b.agFill("fill in the party "+p.org, map[string]string{
			"organisation_id": itoa(orgID(t, a, p.org)), "role": p.role, "signatory_name": p.signatory,
			"signatory_title": p.title, "signed_on": "2025-12-15", "representatives": p.rep,
			"contribution": "Personal och lokaler",
		})
		b.submit(`[data-testid="party-form"] button[type="submit"]`)
		if got := b.text(`[data-testid="flash"]`); got != p.org+" lades till som part." {
			t.Fatalf("flash %q", got)
		}
	}
	if got := b.texts(`[data-testid="party"] h3`); strings.Join(got, "|") != "Linköpings kommun|"+ikfOrganisation {
		t.Errorf("parties %q", got)
	}
	if got := b.texts(`[data-testid="party-signatory"]`); len(got) != 2 || !strings.HasPrefix(got[1], "Fatima Ali") {
		t.Errorf("signatories %q", got)
	}
	for key, want := range map[string]string{"parties": "true", "validity": "true", "signatures": "true",
		"steering_group": "true", "cofinancing": "true", "purpose": "true", "values": "false"} {
		if got := b.agChecklistPresent(key); got != want {
			t.Errorf("checklist %s: present %s, want %s", key, got, want)
		}
	}

	b.submit(`[data-testid="activate"]`)
	if got := b.text(`[data-testid="status"]`); got != "Aktiv" {
		t.Errorf("status after activation %q", got)
	}
	if got := b.text(`[data-testid="current-end"]`); got != "2027-12-31" {
		t.Errorf("end %q", got)
	}

	b.visit(path + "/extensions/new")
	if got := b.text(`[data-testid="latest-end"]`); got != "2028-12-31" {
		t.Errorf("latest end allowed %q", got)
	}
	b.agFill("fill in the extension", map[string]string{
		"decided_on": "2027-05-20", "decision_ref": "AMN 2027-05-20 § 61", "new_end_date": "2028-12-31",
	})
	b.submit(`[data-testid="extension-form"] button[type="submit"]`)
	if got := b.text(`[data-testid="current-end"]`); got != "2028-12-31" {
		t.Errorf("end after the extension %q", got)
	}
	if got := b.text(`[data-testid="extensions"] tbody tr`); !strings.Contains(got, "AMN 2027-05-20 § 61") {
		t.Errorf("extensions %q", got)
	}
	if got := b.texts(`[data-testid="history"] tbody td:nth-child(3)`); len(got) < 4 || got[0] != "Registrerade förlängning" {
		t.Errorf("history %q", got)
	}
	b.submit(`.signed-in button[type="submit"]`)

	// IKF's staff see the agreement they are a party to, and not others.
	other := agStore(t, a, "Stadsmissionens överenskommelse", "Linköpings kommun", "Linköpings Stadsmission")
	b.login(ikfEmail, demo.Password)
	b.visit(path)
	if got := b.text("h1"); got != "Kvinnor i arbete" {
		t.Errorf("IKF staff see %q", got)
	}
	if got := b.text(`[data-testid="current-end"]`); got != "2028-12-31" {
		t.Errorf("IKF staff see the end %q", got)
	}
	b.visit(agPath(other.ID))
	if got := b.text("h1"); got != "Sidan finns inte" {
		t.Errorf("IKF staff on another agreement: %q", got)
	}
	stored, err := postgres.NewAgreements(a.db.Pool).ByTitle(context.Background(), "Kvinnor i arbete")
	if err != nil || len(stored.Extensions) != 1 || stored.Version != 5 {
		t.Errorf("stored: %v, %d extensions, version %d", err, len(stored.Extensions), stored.Version)
	}
}
