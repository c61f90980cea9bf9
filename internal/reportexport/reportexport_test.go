package reportexport

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/pdfcpu/pdfcpu/pkg/api"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/model"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/types"
	"github.com/xuri/excelize/v2"

	"iop/internal/money"
	"iop/internal/report"
	"iop/templates"
)

func text(s string) report.Cell          { return report.Cell{Kind: report.Text, Text: s} }
func people(v int64) report.Cell         { return report.Cell{Kind: report.People, Value: v} }
func count(v int64) report.Cell          { return report.Cell{Kind: report.Count, Value: v} }
func kronor(v int64) report.Cell         { return report.Cell{Kind: report.Money, Value: v * 100} }
func percent(v int64) report.Cell        { return report.Cell{Kind: report.Percent, Value: v} }
func isoDate(s string) report.Cell       { return report.Cell{Kind: report.Date, Text: s} }
func row(c ...report.Cell) []report.Cell { return c }

// sample is a small agreement report with a group of 3 women, which
// disclosure control must hide (and, since the totals would give it away,
// a second cell with it), a budget and a section the product lacks.
func sample() report.Report {
	return report.Report{
		Year:      2024,
		Agreement: &report.Agreement{ID: 7, Title: "Inkludering på lika villkor", Association: "IKF", OrgNumber: "8220013331", Start: "2023-01-01", End: "2024-12-31"},
		Sections: []report.Section{
			{ID: "deltagare", Title: "Deltagare", Tables: []report.Table{{
				ID: "kon", Title: "Deltagare efter kön", Columns: []string{"Kön", "Nya", "Aktiva", "Totalt"},
				RowTotal: true, ColTotal: true,
				Rows: [][]report.Cell{
					row(text("Kvinnor"), people(3), people(9), people(12)),
					row(text("Män"), people(8), people(10), people(18)),
					row(text("Totalt"), people(11), people(19), people(30)),
				},
			}}},
			{ID: "budget", Title: "Budget per part efter indexering", Tables: []report.Table{{
				ID: "budget", Title: "Budget 2024", Columns: []string{"Part", "Kontant", "Utfall", "Senast ändrad", "Aktiviteter"},
				Rows: [][]report.Cell{
					row(text("=Linköpings kommun"), kronor(459000), percent(625), isoDate("2024-03-05"), count(1251)),
				},
			}}},
			{ID: "uppfoljning", Title: "Uppföljning efter 6 och 12 månader", NotRecorded: true},
		},
	}
}

func TestXLSXNumbersFrozenHeaderAndSuppression(t *testing.T) {
	b, err := XLSX(sample(), "Årsrapport 2024: Inkludering på lika villkor")
	if err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	want := []string{"Om rapporten", "Deltagare", "Budget per part efter indexerin", "Uppföljning efter 6 och 12 måna"}
	if got := f.GetSheetList(); strings.Join(got, "|") != strings.Join(want, "|") {
		t.Fatalf("sheets %q, want %q", got, want)
	}
	panes, err := f.GetPanes("Deltagare")
	if err != nil || !panes.Freeze || panes.YSplit != 2 {
		t.Errorf("Deltagare panes %+v (%v), want the header row (2) frozen", panes, err)
	}
	// Row 3 is Kvinnor: 3 new women is suppressed as "<5"; the men's
	// row and the totals are numbers.
	for cell, wantText := range map[string]string{"B3": "<5", "A3": "Kvinnor"} {
		if v, _ := f.GetCellValue("Deltagare", cell); v != wantText {
			t.Errorf("Deltagare %s = %q, want %q", cell, v, wantText)
		}
	}
	numeric := func(sheet, cell string) {
		t.Helper()
		typ, err := f.GetCellType(sheet, cell)
		if err != nil || (typ != excelize.CellTypeUnset && typ != excelize.CellTypeNumber) {
			t.Errorf("%s %s: type %v (%v), want a number", sheet, cell, typ, err)
		}
	}
	numeric("Deltagare", "D5")
	numeric("Budget per part efter indexerin", "B3")
	numeric("Budget per part efter indexerin", "C3")
	numeric("Budget per part efter indexerin", "E3")
	raw := func(sheet, cell string) string {
		v, _ := f.GetCellValue(sheet, cell, excelize.Options{RawCellValue: true})
		return v
	}
	if v := raw("Budget per part efter indexerin", "B3"); v != "459000" {
		t.Errorf("money cell %q, want 459000 (kronor)", v)
	}
	if v := raw("Budget per part efter indexerin", "C3"); v != "0.625" {
		t.Errorf("percent cell %q, want the fraction 0.625", v)
	}
	formats := map[string]string{"B3": `#,##0 "kr"`, "C3": "0.0%", "E3": "#,##0", "D3": "yyyy-mm-dd"}
	for cell, format := range formats {
		id, _ := f.GetCellStyle("Budget per part efter indexerin", cell)
		st, err := f.GetStyle(id)
		if err != nil || st.CustomNumFmt == nil || *st.CustomNumFmt != format {
			t.Errorf("budget %s: style %+v (%v), want number format %s", cell, st, err, format)
		}
	}
	if v, _ := f.GetCellValue("Uppföljning efter 6 och 12 måna", "A2"); v != report.NotRecordedText {
		t.Errorf("not recorded section shows %q", v)
	}
	checkNoSmallPeople(t, "xlsx", sample(), func(tableRow, col int) string {
		v, _ := f.GetCellValue("Deltagare", cellName(col+1, tableRow+3))
		return v
	})
}

func cellName(col, row int) string {
	c, _ := excelize.CoordinatesToCellName(col, row)
	return c
}

// checkNoSmallPeople compares every People cell of the sample's first
// table with the disclosed model: a suppressed cell shows "<5" or ".",
// any other shows its value, and no shown value is 1–4.
func checkNoSmallPeople(t *testing.T, what string, r report.Report, shown func(row, col int) string) {
	t.Helper()
	d := r.Disclose()
	table := d.Sections[0].Tables[0]
	suppressed := 0
	for i, cells := range table.Rows {
		for j, c := range cells {
			if c.Kind != report.People {
				continue
			}
			got := shown(i, j)
			if c.Suppressed {
				suppressed++
				if got != "<5" && got != "." {
					t.Errorf("%s: suppressed cell %d,%d shows %q", what, i, j, got)
				}
				continue
			}
			if got == "1" || got == "2" || got == "3" || got == "4" {
				t.Errorf("%s: cell %d,%d shows a small group %q", what, i, j, got)
			}
		}
	}
	if suppressed < 2 {
		t.Errorf("%s: %d suppressed cells, want the small group and a secondary one", what, suppressed)
	}
}

func TestCSVRecords(t *testing.T) {
	guard := func(s string) string {
		if s != "" && strings.ContainsRune("=+-@", rune(s[0])) {
			return "'" + s
		}
		return s
	}
	records := CSVRecords(sample(), guard)
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	w.Comma = ';'
	if err := w.WriteAll(records); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, want := range []string{
		"Avsnitt;Tabell;Kön;Nya;Aktiva;Totalt\n",
		"Deltagare;Deltagare efter kön;Kvinnor;<5;",
		"Budget per part efter indexering;Budget 2024;'=Linköpings kommun;459000;62,5;2024-03-05;1251\n",
		"Uppföljning efter 6 och 12 månader;;Ej registrerat\n",
		"Röjandeskydd;;",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("CSV lacks %q:\n%s", want, out)
		}
	}
	// Records 1–3 are the gender table's rows: section, table, then cells.
	checkNoSmallPeople(t, "csv", sample(), func(i, j int) string { return records[1+i][2+j] })
}

func TestGrantIdentifiersHoldNoPersonnummer(t *testing.T) {
	for _, tc := range []struct {
		number string
		want   string
	}{
		{"8220013331", "SE-BO-8220013331"},
		{"2120000449", "SE-BO-2120000449"},
		{"8112189876", "360G-iop-org-4"}, // a sole trader: the owner's personnummer
		{"", "360G-iop-org-4"},
		{"82200133", "360G-iop-org-4"},
	} {
		if got := OrgIdentifier(tc.number, 4); got != tc.want {
			t.Errorf("OrgIdentifier(%q) = %q, want %q", tc.number, got, tc.want)
		}
	}
	for _, tc := range []struct {
		ore  int64
		want string
	}{{45900000, "459000"}, {123450, "1234.50"}, {-5, "-0.05"}, {0, "0"}} {
		if got := kronorNumber(money.Amount(tc.ore)); got != tc.want {
			t.Errorf("kronorNumber(%d) = %q, want %q", tc.ore, got, tc.want)
		}
	}
}

// chromium is the browser the PDF tests print with; `make test` installs
// it and sets IOP_CHROMIUM.
func chromium(t *testing.T) string {
	t.Helper()
	exe := os.Getenv("IOP_CHROMIUM")
	if exe == "" {
		exe = "/usr/bin/chromium"
	}
	if _, err := os.Stat(exe); err != nil {
		t.Fatalf("chromium not found at %s (run `make test`, which installs it): %v", exe, err)
	}
	return exe
}

// pdfText is the text of a PDF, by poppler's pdftotext.
func pdfText(t *testing.T, pdf []byte) string {
	t.Helper()
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Fatal("pdftotext not found (run `make test`, which installs poppler-utils)")
	}
	cmd := exec.Command("pdftotext", "-enc", "UTF-8", "-", "-")
	cmd.Stdin = bytes.NewReader(pdf)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return string(out)
}

// checkTagged checks with pdfcpu that the PDF is tagged: its catalog has
// /MarkInfo << /Marked true >>, a /StructTreeRoot and /Lang (sv).
func checkTagged(t *testing.T, pdf []byte) {
	t.Helper()
	ctx, err := api.ReadContext(bytes.NewReader(pdf), model.NewDefaultConfiguration())
	if err != nil {
		t.Fatalf("pdfcpu cannot read the PDF: %v", err)
	}
	cat, err := ctx.XRefTable.Catalog()
	if err != nil {
		t.Fatal(err)
	}
	mark, err := ctx.XRefTable.DereferenceDict(cat["MarkInfo"])
	if err != nil || mark == nil {
		t.Fatalf("no /MarkInfo in the catalog (%v): %v", err, cat)
	}
	if marked := mark.BooleanEntry("Marked"); marked == nil || !*marked {
		t.Errorf("/MarkInfo %v, want /Marked true", mark)
	}
	root, err := ctx.XRefTable.DereferenceDict(cat["StructTreeRoot"])
	if err != nil || root == nil {
		t.Errorf("no /StructTreeRoot in the catalog (%v)", err)
	}
	lang, _ := ctx.XRefTable.Dereference(cat["Lang"])
	if s, ok := lang.(types.StringLiteral); !ok || !strings.HasPrefix(string(s), "sv") {
		t.Errorf("/Lang %v, want sv", lang)
	}
}

func TestReportPDFIsTaggedAndHoldsTheFigures(t *testing.T) {
	t.Parallel()
	p := NewPrinter(chromium(t))
	t.Cleanup(p.Close)
	vm := templates.ReportPrintVM{
		Title: "Årsrapport 2024: Inkludering på lika villkor", Municipality: "Linköpings kommun",
		Committee: "Arbetsmarknadsnämnden", Facts: []string{"Förening: IKF"},
		Texts:   []templates.ReportPrintText{{Heading: "Genomförda aktiviteter", Text: "Skapandeträffar varje vecka."}},
		Figures: sample(),
	}
	pdf, err := ReportPDF(context.Background(), p, vm)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(pdf, []byte("%PDF-")) {
		t.Fatalf("not a PDF: %q", pdf[:min(20, len(pdf))])
	}
	checkTagged(t, pdf)
	txt := pdfText(t, pdf)
	for _, want := range []string{"Inkludering på lika villkor", "Linköpings kommun", "Sida 1 av", "Deltagare efter kön",
		"Skapandeträffar varje vecka.", "459 000 kr", "<5", report.NotRecordedText} {
		if !strings.Contains(txt, want) {
			t.Errorf("the PDF's text lacks %q:\n%s", want, txt)
		}
	}

	// The browser is reused, and a dead one is replaced (each print is of
	// another document, so that none comes from the printer's cache).
	first := p.browser
	vm.Facts = []string{"Utskrift 2"}
	if _, err := ReportPDF(context.Background(), p, vm); err != nil || p.browser != first {
		t.Fatalf("second print: %v (browser reused: %v)", err, p.browser == first)
	}
	if err := chromedp.FromContext(first).Browser.Process().Kill(); err != nil {
		t.Fatal(err)
	}
	vm.Facts = []string{"Utskrift 3"}
	if _, err := ReportPDF(context.Background(), p, vm); err != nil {
		t.Fatalf("print after the browser died: %v", err)
	}
	if p.browser == first {
		t.Error("the dead browser was not replaced")
	}
}

func TestPrinterWithoutChromium(t *testing.T) {
	p := NewPrinter("/nonexistent/chromium")
	defer p.Close()
	if _, err := p.PDF(context.Background(), "<!DOCTYPE html><title>x</title>", PDFPage{}); !errors.Is(err, ErrNoBrowser) {
		t.Fatalf("err %v, want ErrNoBrowser", err)
	}
}

// TestPrinterFetchesNothing: a document whose stylesheet, image and frame
// point at a server is printed without the browser asking that server
// for anything (the printer loads the document itself, never a URL, and
// sends any request to a proxy that does not exist).
func TestPrinterFetchesNothing(t *testing.T) {
	t.Parallel()
	var hits atomic.Int32
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		w.Header().Set("Content-Type", "text/css")
	}))
	defer ts.Close()
	p := NewPrinter(chromium(t))
	t.Cleanup(p.Close)
	doc := `<!DOCTYPE html><html lang="sv"><head><title>Hämtar inget</title>` +
		`<link rel="stylesheet" href="` + ts.URL + `/a.css"></head><body><h1>Hämtar inget</h1>` +
		`<img src="` + ts.URL + `/b.png" alt="bild"><iframe src="` + ts.URL + `/c"></iframe></body></html>`
	pdf, err := p.PDF(context.Background(), doc, PDFPage{Header: "Linköpings kommun"})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(pdfText(t, pdf), "Hämtar inget") {
		t.Error("the document was not printed")
	}
	if n := hits.Load(); n != 0 {
		t.Errorf("the browser made %d requests to %s", n, ts.URL)
	}
}

// TestPrinterRendersTwoAtATime: while two prints hold the printer's slots a
// third waits (here until its request is given up, before any browser is
// started); once a slot is free it prints.
func TestPrinterRendersTwoAtATime(t *testing.T) {
	t.Parallel()
	p := NewPrinter(chromium(t))
	t.Cleanup(p.Close)
	p.slot <- struct{}{}
	p.slot <- struct{}{}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	doc := `<!DOCTYPE html><html lang="sv"><head><title>Kö</title></head><body><h1>Kö</h1></body></html>`
	if _, err := p.PDF(ctx, doc, PDFPage{}); !errors.Is(err, context.Canceled) || p.browser != nil {
		t.Fatalf("third print with both slots taken: %v (browser started: %v), want it to wait", err, p.browser != nil)
	}
	<-p.slot
	if _, err := p.PDF(context.Background(), doc, PDFPage{}); err != nil {
		t.Fatalf("print with a free slot: %v", err)
	}
	if len(p.slot) != 1 {
		t.Errorf("%d slots taken after the print, want the one still held", len(p.slot))
	}
}
