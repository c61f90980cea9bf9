package server_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/pdfcpu/pdfcpu/pkg/api"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/model"
	"github.com/xuri/excelize/v2"

	"iop/internal/auth"
	"iop/internal/config"
	"iop/internal/partnership"
	"iop/internal/report"
	"iop/internal/server"
)

// officerActor is the demo officer acting outside the web.
func officerActor(t *testing.T, a *app) partnership.Actor {
	t.Helper()
	return partnership.Actor{UserID: a.userID(officerEmail), Role: partnership.RoleOfficer, Via: "web"}
}

// checkPeopleCells compares every People cell of the disclosed model with
// what an export shows at its place: "<5" or "." where the model
// suppresses it, its count otherwise, and never a count of 1–4.
// shown(section, table, row, col) is the export's text of that cell.
func checkPeopleCells(t *testing.T, what string, disclosed report.Report, shown func(s, tb, i, j int) string) {
	t.Helper()
	cells := 0
	for s, sec := range disclosed.Sections {
		if sec.NotRecorded {
			continue
		}
		for tb, table := range sec.Tables {
			for i, row := range table.Rows {
				for j, c := range row {
					if c.Kind != report.People || c.Empty {
						continue
					}
					cells++
					got := shown(s, tb, i, j)
					switch {
					case c.Suppressed && got != c.Display():
						t.Errorf("%s: %s/%s row %d col %d shows %q, want %q", what, sec.ID, table.ID, i, j, got, c.Display())
					case !c.Suppressed && got != strconv.FormatInt(c.Value, 10):
						t.Errorf("%s: %s/%s row %d col %d shows %q, want %d", what, sec.ID, table.ID, i, j, got, c.Value)
					}
					if got == "1" || got == "2" || got == "3" || got == "4" {
						t.Errorf("%s: %s/%s row %d col %d shows a group of %s people", what, sec.ID, table.ID, i, j, got)
					}
				}
			}
		}
	}
	if cells == 0 {
		t.Errorf("%s: the report has no People cells to check", what)
	}
	t.Logf("%s: %d People cells checked", what, cells)
}

// TestReportExportsAreDisclosed downloads Stadsmissionen's report of 2019
// (62 participants, some groups smaller than five) as the officer, who
// sees the figures undisclosed on the pages: the CSV and the workbook show
// exactly the disclosed model's People cells. The CSV has a BOM and
// semicolons, the workbook number cells and a frozen header row.
func TestReportExportsAreDisclosed(t *testing.T) {
	a := newApp(t)
	t.Cleanup(a.app.Close)
	hopp := budAgreement(t, a, budHopp)
	live, err := report.NewService(a.db, a.clock.Now).Agreement(context.Background(), officerActor(t, a), hopp.ID, 2019)
	if err != nil {
		t.Fatal(err)
	}
	disclosed := live.Disclose()
	if !disclosed.HasSuppressed() {
		t.Fatal("the 2019 report has no small group: the test would prove nothing")
	}
	officer := loggedIn(a, officerEmail)
	base := "/agreements/" + itoa(hopp.ID) + "/reports/2019/report"

	res := officer.get(base + ".csv")
	if res.StatusCode != http.StatusOK || !strings.HasPrefix(res.Body, "\uFEFF") ||
		!strings.Contains(res.Header.Get("Content-Disposition"), `filename="arsrapport-2019-hoppfull-framtid.csv"`) {
		t.Fatalf("CSV: %d %q, want a download with a BOM", res.StatusCode, res.Header.Get("Content-Disposition"))
	}
	cr := csv.NewReader(strings.NewReader(strings.TrimPrefix(res.Body, "\uFEFF")))
	cr.Comma, cr.FieldsPerRecord = ';', -1
	records, err := cr.ReadAll()
	if err != nil {
		t.Fatalf("CSV with semicolons: %v", err)
	}
	if len(records) == 0 || len(records[0]) < 3 || records[0][0] != "Avsnitt" || records[0][1] != "Tabell" {
		t.Fatalf("CSV header %q", records[:1])
	}
	// Where each table's rows start in the CSV: a header record, then rows.
	starts := map[[2]int]int{}
	n := 0
	for s, sec := range disclosed.Sections {
		if sec.NotRecorded || len(sec.Tables) == 0 {
			n += 2
			continue
		}
		for tb, table := range sec.Tables {
			starts[[2]int{s, tb}] = n + 1
			n += 1 + max(len(table.Rows), 1)
		}
	}
	checkPeopleCells(t, "CSV", disclosed, func(s, tb, i, j int) string {
		rec := records[starts[[2]int{s, tb}]+i]
		if rec[0] != disclosed.Sections[s].Title || 2+j >= len(rec) {
			t.Fatalf("CSV record %q is not of section %q", rec, disclosed.Sections[s].Title)
		}
		return rec[2+j]
	})

	res = officer.get(base + ".xlsx")
	if res.StatusCode != http.StatusOK || !strings.Contains(res.Header.Get("Content-Type"), "spreadsheetml") {
		t.Fatalf("XLSX: %d %s", res.StatusCode, res.Header.Get("Content-Type"))
	}
	f, err := excelize.OpenReader(strings.NewReader(res.Body))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sheets := f.GetSheetList()
	if len(sheets) != len(disclosed.Sections)+1 {
		t.Fatalf("sheets %q, want one about the report and one per section", sheets)
	}
	// Where each table's rows start on its sheet: caption, header, rows
	// (or a note), the table's note, a blank row.
	rowsAt := map[[2]int]int{}
	for s, sec := range disclosed.Sections {
		r := 1
		for tb, table := range sec.Tables {
			rowsAt[[2]int{s, tb}] = r + 2
			r += 2 + max(len(table.Rows), 1) + 1
			if table.Note != "" && len(table.Rows) > 0 {
				r++
			}
		}
	}
	numbers := 0
	checkPeopleCells(t, "XLSX", disclosed, func(s, tb, i, j int) string {
		cell, _ := excelize.CoordinatesToCellName(j+1, rowsAt[[2]int{s, tb}]+i)
		sheet := sheets[s+1]
		v, _ := f.GetCellValue(sheet, cell, excelize.Options{RawCellValue: true})
		if typ, _ := f.GetCellType(sheet, cell); typ == excelize.CellTypeUnset || typ == excelize.CellTypeNumber {
			numbers++
		}
		return v
	})
	if numbers == 0 {
		t.Error("XLSX: no People cell is a number cell")
	}
	for i := 1; i < len(sheets); i++ {
		if len(disclosed.Sections[i-1].Tables) == 0 || disclosed.Sections[i-1].NotRecorded {
			continue
		}
		if panes, err := f.GetPanes(sheets[i]); err != nil || !panes.Freeze || panes.YSplit != 2 {
			t.Errorf("sheet %q: panes %+v (%v), want the header row frozen", sheets[i], panes, err)
		}
	}
}

// TestReportPDFs: IKF's staff download their agreement's report and the
// viewer the portfolio, each a tagged PDF whose text holds the titles, the
// municipality's header and page numbers; another association's staff
// cannot tell IKF's report from a missing one.
func TestReportPDFs(t *testing.T) {
	a := newApp(t)
	t.Cleanup(a.app.Close)
	ikf := budAgreement(t, a, budIKF)
	path := "/agreements/" + itoa(ikf.ID) + "/reports/2024/report.pdf"

	res := loggedIn(a, ikfEmail).get(path)
	if res.StatusCode != http.StatusOK || res.Header.Get("Content-Type") != "application/pdf" ||
		!strings.Contains(res.Header.Get("Content-Disposition"), `attachment; filename="arsrapport-2024-inkludering-pa-lika-villkor.pdf"`) {
		t.Fatalf("IKF's report PDF: %d %s %s", res.StatusCode, res.Header.Get("Content-Type"), res.Header.Get("Content-Disposition"))
	}
	checkTaggedPDF(t, "agreement report", []byte(res.Body))
	text := pdfToText(t, []byte(res.Body))
	for _, want := range []string{"Årsrapport 2024: Inkludering på lika villkor", "Linköpings kommun", "Sida 1 av"} {
		if !strings.Contains(text, want) {
			t.Errorf("IKF's report PDF lacks %q:\n%s", want, text)
		}
	}
	if res := loggedIn(a, stadsmissionenEmail).get(path); res.StatusCode != http.StatusNotFound {
		t.Errorf("IKF's report PDF as Stadsmissionen's staff: %d, want 404", res.StatusCode)
	}

	// The PDF is compressed, so TestNoIdentityOnAnyPageOrExport cannot
	// search it: its text is searched here for the demo's identities.
	secrets, _, _ := demoIdentities(t, a)
	hopp := budAgreement(t, a, budHopp)
	res = loggedIn(a, officerEmail).get("/agreements/" + itoa(hopp.ID) + "/reports/2019/report.pdf")
	if res.StatusCode != http.StatusOK {
		t.Fatalf("Stadsmissionen's report PDF: %d", res.StatusCode)
	}
	text = pdfToText(t, []byte(res.Body))
	for _, s := range secrets {
		if strings.Contains(text, s) {
			t.Errorf("Stadsmissionen's report PDF shows an identity")
		}
	}
	if len(secrets) == 0 || !strings.Contains(text, "Hoppfull framtid") {
		t.Errorf("no identities to search for (%d) or not the report", len(secrets))
	}

	viewer := loggedIn(a, viewerEmail)
	for year, titles := range map[string][]string{"2024": {budIKF}, "2019": {budHopp}} {
		res := viewer.get("/reports/" + year + "/portfolio.pdf")
		if res.StatusCode != http.StatusOK ||
			!strings.Contains(res.Header.Get("Content-Disposition"), `filename="portfoljrapport-`+year+`.pdf"`) {
			t.Fatalf("portfolio PDF %s: %d %s", year, res.StatusCode, res.Header.Get("Content-Disposition"))
		}
		checkTaggedPDF(t, "portfolio "+year, []byte(res.Body))
		text := pdfToText(t, []byte(res.Body))
		for _, want := range append(titles, "Portföljrapport "+year, "Linköpings kommun", "Sida 1 av") {
			if !strings.Contains(text, want) {
				t.Errorf("portfolio PDF %s lacks %q:\n%s", year, want, text)
			}
		}
	}
}

// TestReportPDFWithoutChromium: a server without chromium answers a PDF
// export with a Swedish 503 page, and the other formats still work.
func TestReportPDFWithoutChromium(t *testing.T) {
	t.Parallel()
	db := demoData.New(t)
	clk := &clock{t: time.Now()}
	hasher, err := auth.NewHasher(auth.DefaultParams, 2)
	if err != nil {
		t.Fatal(err)
	}
	svc := auth.NewService(db, hasher, clk.Now)
	cfg, err := config.Load(func(k string) string {
		return map[string]string{"DATABASE_URL": "postgres://unused/iop"}[k]
	})
	if err != nil {
		t.Fatal(err)
	}
	s, err := server.New(server.Deps{
		Config: cfg, DB: db, Auth: svc, Now: clk.Now, Keyring: demoKeys, Chromium: "/nonexistent/chromium",
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	ts := httptest.NewServer(s)
	t.Cleanup(ts.Close)
	a := &app{t: t, db: db, auth: svc, clock: clk, srv: ts, app: s, keys: demoKeys}

	officer := loggedIn(a, officerEmail)
	res := officer.get("/reports/2024/portfolio.pdf")
	if res.StatusCode != http.StatusServiceUnavailable || !strings.Contains(res.Body, "PDF kan inte skapas just nu") ||
		!strings.Contains(res.Body, "Chromium") || !strings.Contains(res.Body, `lang="sv"`) {
		t.Errorf("portfolio PDF without chromium: %d, want the Swedish 503 page:\n%s", res.StatusCode, res.Body)
	}
	if res := officer.get("/reports/2024/portfolio.xlsx"); res.StatusCode != http.StatusOK {
		t.Errorf("portfolio XLSX without chromium: %d", res.StatusCode)
	}
}

// checkTaggedPDF checks with pdfcpu that the PDF is tagged: /MarkInfo
// << /Marked true >> and a /StructTreeRoot in its catalog.
func checkTaggedPDF(t *testing.T, what string, pdf []byte) {
	t.Helper()
	ctx, err := api.ReadContext(bytes.NewReader(pdf), model.NewDefaultConfiguration())
	if err != nil {
		t.Fatalf("%s: pdfcpu cannot read the PDF: %v", what, err)
	}
	cat, err := ctx.XRefTable.Catalog()
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	mark, err := ctx.XRefTable.DereferenceDict(cat["MarkInfo"])
	if err != nil || mark == nil {
		t.Fatalf("%s: no /MarkInfo in the catalog (%v)", what, err)
	}
	if marked := mark.BooleanEntry("Marked"); marked == nil || !*marked {
		t.Errorf("%s: /MarkInfo %v, want /Marked true", what, mark)
	}
	if root, err := ctx.XRefTable.DereferenceDict(cat["StructTreeRoot"]); err != nil || root == nil {
		t.Errorf("%s: no /StructTreeRoot in the catalog (%v)", what, err)
	}
}

// pdfToText is the text of a PDF by poppler's pdftotext, which `make
// test` installs.
func pdfToText(t *testing.T, pdf []byte) string {
	t.Helper()
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Fatal("pdftotext not found (run `make test`, which installs poppler-utils)")
	}
	cmd := exec.Command("pdftotext", "-enc", "UTF-8", "-", "-")
	cmd.Stdin = bytes.NewReader(pdf)
	cmd.Stderr = os.Stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return string(out)
}

// TestReportExportsShowTheApprovedFigures: the demo's IKF report of 2024
// is approved, so its exports show the figures stored at approval, not
// figures computed now (here the stored figures carry a marker that no
// computation gives).
func TestReportExportsShowTheApprovedFigures(t *testing.T) {
	a := newApp(t)
	ikf := budAgreement(t, a, budIKF)
	tag, err := a.db.Pool.Exec(context.Background(), `UPDATE annual_reports
		SET snapshot = jsonb_set(snapshot, '{Sections,0,Title}', '"Godkänd ögonblicksbild"')
		WHERE agreement_id = $1 AND year = 2024 AND state = 'approved'`, ikf.ID)
	if err != nil || tag.RowsAffected() != 1 {
		t.Fatalf("the demo's approved IKF report of 2024: %v (%d rows)", err, tag.RowsAffected())
	}
	res := loggedIn(a, viewerEmail).get("/agreements/" + itoa(ikf.ID) + "/reports/2024/report.csv")
	if res.StatusCode != http.StatusOK || !strings.Contains(res.Body, "\r\nGodkänd ögonblicksbild;") {
		t.Errorf("IKF's approved report as CSV: %d, want the approved figures:\n%s", res.StatusCode, res.Body)
	}
}
