package server_test

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

const uploadButton = `[data-testid="upload-form"] button[type="submit"]`

func TestBrowserOfficerUploadsDocument(t *testing.T) {
	a := newApp(t)
	id := docAgreement(t, a, "Inkludering på lika villkor", ikfName)
	dir := t.TempDir()
	notPDF := filepath.Join(dir, "avtal.pdf")
	signed := filepath.Join(dir, "Överenskommelse IKF 2023.pdf")
	if err := os.WriteFile(notPDF, []byte("Det här är ingen PDF.\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(signed, pdfOfSize(40*1024), 0o600); err != nil {
		t.Fatal(err)
	}

	b := newBrowser(t, a)
	b.login(officerEmail, "demo-iop-2026")
	b.visit(docsURL(id))
	if got := b.text(`[data-testid="no-documents"]`); got != "Inga dokument har laddats upp ännu." {
		t.Errorf("empty list says %q", got)
	}

	// A text file named .pdf is refused, and the page says why.
	b.do("choose a text file named .pdf",
		chromedp.SetUploadFiles(chromedp.CSS("#file"), []string{notPDF}),
		chromedp.Click(chromedp.CSS("#kind")),
		chromedp.SetValue(chromedp.CSS("#description"), "Undertecknad av båda parter"))
	b.submit(uploadButton)
	if got := b.text(`[data-testid="error-summary"]`); !strings.Contains(got, "Filtypen stöds inte") {
		t.Errorf("error summary %q", got)
	}
	if got := value(b, "read description", chromedp.Value(chromedp.CSS("#description"))); got != "Undertecknad av båda parter" {
		t.Errorf("description not kept: %q", got)
	}
	checked := value(b, "read kind", chromedp.Evaluate[bool](`document.querySelector("#kind").checked`))
	if !checked {
		t.Error("the chosen kind was not kept")
	}

	b.do("choose the signed agreement", chromedp.SetUploadFiles(chromedp.CSS("#file"), []string{signed}))
	b.submit(uploadButton)
	if got := b.text(`[data-testid="flash"]`); got != "Dokumentet Överenskommelse IKF 2023.pdf laddades upp." {
		t.Errorf("flash %q", got)
	}
	row := b.texts(`[data-testid="documents"] tbody tr td`)
	for _, want := range []string{"Överenskommelse IKF 2023.pdf", "Undertecknad överenskommelse", "Undertecknad av båda parter", "40 kB", "Erik Johansson"} {
		if !slices.Contains(row, want) {
			t.Errorf("the listed document %q lacks %q", row, want)
		}
	}

	// Deleting asks first; the officer changes their mind.
	deleteURL := value(b, "read the delete link", chromedp.Evaluate[string](
		`document.querySelector('[data-testid="documents"] a[aria-label^="Ta bort"]').getAttribute("href")`))
	b.visit(deleteURL)
	if got := b.text("h1"); got != "Ta bort dokument" {
		t.Errorf("confirmation heading %q", got)
	}
	b.submit(`main form a.button.secondary`)
	if got := b.texts(`[data-testid="document-link"]`); len(got) != 1 {
		t.Errorf("after cancelling the list shows %q", got)
	}

	// The association's staff see the document but no upload form.
	b.submit(`.signed-in button[type="submit"]`)
	b.login(ikfEmail, "demo-iop-2026")
	b.visit(docsURL(id))
	if got := b.texts(`[data-testid="document-link"]`); !slices.Equal(got, []string{"Överenskommelse IKF 2023.pdf"}) {
		t.Errorf("staff see %q", got)
	}
	if n := value(b, "count forms", chromedp.Evaluate[int](`document.querySelectorAll('[data-testid="upload-form"]').length`)); n != 0 {
		t.Error("staff are offered the upload form")
	}
}
