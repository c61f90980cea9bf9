package server_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestBrowserAgreementList: an officer searches, sorts by a column and
// filters by status; IKF's staff see only IKF's agreements. Axe checks every
// page on the way.
func TestBrowserAgreementList(t *testing.T) {
	a := newApp(t)
	seedList(t, a)
	b := newBrowser(t, a)
	b.login(officerEmail, "demo-iop-2026")
	b.visit("/agreements")
	b.do("search", chromedp.SetValue(chromedp.CSS("#q"), "Listtest"))
	b.submit(`[data-testid="filter-submit"]`)
	if got, want := b.texts(`[data-testid="agreement-title"]`), []string{
		listTitles.formula, listTitles.hoppfull, listTitles.inkludering, listTitles.sprakcafe,
	}; !slices.Equal(got, want) {
		t.Errorf("search: %q, want %q", got, want)
	}
	if got := b.text(`[data-testid="agreement-count"]`); got != "Visar 1–4 av 4" {
		t.Errorf("count %q", got)
	}

	b.submit(`th a[href*="sort=start"]`)
	if got, want := b.texts(`[data-testid="agreement-title"]`), []string{
		listTitles.hoppfull, listTitles.sprakcafe, listTitles.inkludering, listTitles.formula,
	}; !slices.Equal(got, want) {
		t.Errorf("sorted by start: %q, want %q", got, want)
	}
	if got := b.text(`th[aria-sort="ascending"]`); !strings.HasPrefix(got, "Start") {
		t.Errorf("column in force %q", got)
	}
	b.submit(`th[aria-sort="ascending"] a`)
	if got := b.texts(`[data-testid="agreement-title"]`); len(got) != 4 || got[0] != listTitles.inkludering {
		t.Errorf("sorted by start, descending: %q", got)
	}

	b.do("choose a status", chromedp.SetValue(chromedp.CSS("#status"), "ended"))
	b.submit(`[data-testid="filter-submit"]`)
	if got := b.texts(`[data-testid="agreement-title"]`); !slices.Equal(got, []string{listTitles.sprakcafe}) {
		t.Errorf("ended: %q", got)
	}
	if got := b.texts(`[data-testid="agreement-status"]`); !slices.Equal(got, []string{"Avslutad"}) {
		t.Errorf("statuses %q", got)
	}
	csvHref := value(b, "export link", chromedp.Evaluate[string](
		`document.querySelector('[data-testid="export-csv"]').getAttribute("href")`))
	if csvHref != "/agreements.csv?dir=desc&q=Listtest&sort=start&status=ended" {
		t.Errorf("export link %q", csvHref)
	}
	b.submit(`.signed-in button[type="submit"]`)

	b.login(ikfEmail, "demo-iop-2026")
	b.visit("/agreements")
	titles := b.texts(`[data-testid="agreement-title"]`)
	for _, want := range []string{listTitles.inkludering, listTitles.sprakcafe} {
		if !slices.Contains(titles, want) {
			t.Errorf("IKF's staff do not see %q: %q", want, titles)
		}
	}
	for _, other := range []string{listTitles.hoppfull, listTitles.formula} {
		if slices.Contains(titles, other) {
			t.Errorf("IKF's staff see %q", other)
		}
	}
	for _, parties := range b.texts(`[data-testid="agreement-parties"]`) {
		if !strings.Contains(parties, listIKFName) {
			t.Errorf("IKF's staff see an agreement between %q", parties)
		}
	}
	if n := value(b, "create button", chromedp.Evaluate[int](`document.querySelectorAll('[data-testid="new-agreement"]').length`)); n != 0 {
		t.Error("IKF's staff are offered to create an agreement")
	}
}
