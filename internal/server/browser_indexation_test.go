package server_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"iop/internal/money"
)

// previewRows reads the preview table row by row, its cells joined by " | ".
func (b *browser) previewRows() []string {
	b.t.Helper()
	return value(b, "read the preview", chromedp.Evaluate[[]string](
		`Array.from(document.querySelectorAll('[data-testid="indexation-preview"] tbody tr'))
			.map(tr => Array.from(tr.cells).map(c => c.textContent.trim().replace(/\s+/g, " ")).join(" | "))`))
}

// hasRowWith reports whether a row starts with the cells given.
func hasRowWith(rows []string, cells ...string) bool {
	prefix := strings.Join(cells, " | ")
	return slices.ContainsFunc(rows, func(r string) bool { return strings.HasPrefix(r, prefix) })
}

func TestBrowserOfficerPreviewsAndConfirmsIndexation(t *testing.T) {
	a := newApp(t)
	b := newBrowser(t, a)
	// The preview's cells are read with white space collapsed to plain spaces.
	kr := func(k int64) string { return strings.ReplaceAll(money.Kronor(k).String(), "\u00a0", " ") }

	b.login(officerEmail, "demo-iop-2026")
	b.visit("/indexation")
	b.do("choose 2024", chromedp.SetValue(chromedp.CSS("#year"), "2024"))
	b.submit(`[data-testid="indexation-year"] button[type="submit"]`)
	if got := b.text("#preview-heading"); got != "Förhandsgranskning av 2024" {
		t.Errorf("preview heading %q", got)
	}
	rows := b.previewRows()
	if !hasRowWith(rows, ikfAgreementTitle, "Linköpings kommun", "inte indexerat", kr(459000)) ||
		!hasRowWith(rows, "Internationella Kvinnoföreningen Linköping (IKF)", "inte indexerat", kr(459000)) {
		t.Errorf("preview rows %q", rows)
	}
	if got := b.text(`[data-testid="preview-summary"]`); !strings.HasPrefix(got, "Indexeringen av år 2024 skulle ge 5 nya belopp") {
		t.Errorf("preview summary %q", got)
	}

	b.submit(`[data-testid="confirm-indexation"]`)
	if got := b.text(`[data-testid="flash"]`); got != "Indexeringen av år 2024 är klar: 5 nya belopp, 0 ändrade, 0 oförändrade, 0 låsta i 1 överenskommelse." {
		t.Errorf("flash after the run %q", got)
	}
	if rows := b.previewRows(); !hasRowWith(rows, ikfAgreementTitle, "Linköpings kommun", kr(459000), kr(459000)) {
		t.Errorf("after the run the preview shows %q", rows)
	}
	if got := b.texts(`[data-testid="indexation-runs"] tbody td`); !slices.Contains(got, "Erik Johansson") || !slices.Contains(got, "2024") {
		t.Errorf("latest runs %q", got)
	}

	// Confirming again changes nothing and says so.
	b.submit(`[data-testid="confirm-indexation"]`)
	if got := b.text(`[data-testid="flash"]`); got != "Inga ändringar: år 2024 var redan indexerat." {
		t.Errorf("flash after the second run %q", got)
	}
	b.submit(`.signed-in button[type="submit"]`)

	// The admin records the decided rate the officer's next run will follow.
	b.login(adminEmail, "demo-iop-2026")
	b.visit("/admin/index-rates")
	b.visit("/admin/index-rates/new")
	b.do("fill in a rate with too many decimals", chromedp.SetValue(chromedp.CSS("#year"), "2025"),
		chromedp.SetValue(chromedp.CSS("#rate"), "2,345"), chromedp.SetValue(chromedp.CSS("#source"), "OPI definitiv 2024"))
	b.submit(`main form button[type="submit"]`)
	if got := b.text(`[data-testid="error-summary"]`); !strings.Contains(got, "Procentsats") {
		t.Errorf("error summary %q", got)
	}
	if got := value(b, "read source", chromedp.Value(chromedp.CSS("#source"))); got != "OPI definitiv 2024" {
		t.Errorf("source not kept: %q", got)
	}
	b.do("fix the rate", chromedp.SetValue(chromedp.CSS("#rate"), "2,3"))
	b.submit(`main form button[type="submit"]`)
	if got := b.texts(`[data-testid="index-rates"] tbody td`); len(got) < 3 || !slices.Equal(got[:3], []string{"2025", "2,3\u00a0%", "OPI definitiv 2024"}) {
		t.Errorf("listed rates %q", got)
	}
	b.visit("/admin/index-rates/2025/delete")
	b.submit(`main form button[type="submit"]`)
	if got := b.text(`[data-testid="no-index-rates"]`); got != "Inga indexsatser har beslutats ännu." {
		t.Errorf("after deleting: %q", got)
	}
}
