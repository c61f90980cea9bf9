package server_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

func TestBrowserOfficerCreatesOrganisationWithContact(t *testing.T) {
	a := newApp(t)
	b := newBrowser(t, a)
	b.login(officerEmail, "demo-iop-2026")
	b.visit("/organisations")
	b.submit(`a[href="/organisations/new"]`)

	// A wrong check digit is named as such, and what was typed stays.
	b.do("fill in with a wrong check digit",
		chromedp.SetValue(chromedp.CSS("#name"), "Föreningen Gemenskap"),
		chromedp.SetValue(chromedp.CSS("#org_number"), "802000-1289"),
		chromedp.SetValue(chromedp.CSS("#kind"), "association"),
		chromedp.SetValue(chromedp.CSS("#postal_address"), "Storgatan 1\n582 22 Linköping"))
	b.submit(`[data-testid="organisation-form"] button[type="submit"]`)
	if got := b.text(`[data-testid="error-summary"]`); !strings.Contains(got, "Fel kontrollsiffra") {
		t.Errorf("error summary %q", got)
	}
	if got := value(b, "read name", chromedp.Value(chromedp.CSS("#name"))); got != "Föreningen Gemenskap" {
		t.Errorf("name not kept: %q", got)
	}

	b.do("correct the number", chromedp.SetValue(chromedp.CSS("#org_number"), "8020001288"))
	b.submit(`[data-testid="organisation-form"] button[type="submit"]`)
	if got := b.text(`[data-testid="flash"]`); got != "Organisationen Föreningen Gemenskap skapades." {
		t.Errorf("flash %q", got)
	}
	if got := b.text(`[data-testid="org-number"]`); got != "802000-1288" {
		t.Errorf("org number on the organisation page %q", got)
	}
	orgPath := value(b, "location", chromedp.Location())

	// The list shows the number formatted, found by searching for it as typed.
	b.visit("/organisations?q=8020001288")
	rows := b.texts(`[data-testid="organisation-list"] tbody tr`)
	if len(rows) != 1 || !strings.Contains(rows[0], "Föreningen Gemenskap") || !strings.Contains(rows[0], "802000-1288") {
		t.Errorf("list rows %q", rows)
	}
	b.submit(`[data-testid="organisation-list"] tbody a`)

	b.submit(`a[href$="/contacts/new"]`)
	b.do("fill in the contact",
		chromedp.SetValue(chromedp.CSS("#name"), "Amina Hassan"),
		chromedp.SetValue(chromedp.CSS("#title"), "Verksamhetsledare"),
		chromedp.SetValue(chromedp.CSS("#email"), "amina@gemenskap.example"),
		chromedp.SetValue(chromedp.CSS("#phone"), "013-12 34 56"))
	b.submit(`[data-testid="contact-form"] button[type="submit"]`)
	if got := b.text(`[data-testid="flash"]`); got != "Kontaktpersonen Amina Hassan lades till." {
		t.Errorf("flash %q", got)
	}
	want := []string{"Amina Hassan", "Verksamhetsledare", "amina@gemenskap.example", "013-12 34 56"}
	if got := b.texts(`[data-testid="contacts"] tbody td`); len(got) < 4 || !slices.Equal(got[:4], want) {
		t.Errorf("contact row %q", got)
	}

	// Editing the contact, then removing it after confirming.
	b.submit(`[data-testid="contacts"] a[href$="/contacts/` + contactIDFrom(b) + `"]`)
	b.do("change the title", chromedp.SetValue(chromedp.CSS("#title"), "Ordförande"))
	b.submit(`[data-testid="contact-form"] button[type="submit"]`)
	if got := b.texts(`[data-testid="contacts"] tbody td`); len(got) < 2 || got[1] != "Ordförande" {
		t.Errorf("after edit %q", got)
	}
	b.submit(`[data-testid="contacts"] a[href$="/delete"]`)
	if got := b.text("main p"); !strings.Contains(got, "Amina Hassan") {
		t.Errorf("confirmation %q", got)
	}
	b.submit(`main form button[type="submit"]`)
	if got := b.text(`[data-testid="no-contacts"]`); got != "Inga kontaktpersoner är registrerade." {
		t.Errorf("after removal %q", got)
	}
	if got := value(b, "location", chromedp.Location()); got != orgPath {
		t.Errorf("after removal at %s, want %s", got, orgPath)
	}
}

// contactIDFrom reads the id of the first contact from its edit link.
func contactIDFrom(b *browser) string {
	b.t.Helper()
	href := value(b, "contact link", chromedp.Evaluate[string](
		`document.querySelector('[data-testid="contacts"] tbody a[href*="/contacts/"]').getAttribute("href")`))
	return href[strings.LastIndex(href, "/")+1:]
}
