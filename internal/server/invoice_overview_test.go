package server_test

import (
	"bytes"
	"encoding/csv"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

var invoiceCSVHeader = []string{
	"Överenskommelse", "Diarienummer", "År", "Antal fakturor", "Förväntat (kr)", "Fakturerat (kr)",
	"Godkänt (kr)", "Betalt (kr)", "Differens (kr)", "Förväntat enligt",
}

// invoiceCSV parses the overview's CSV export.
func invoiceCSV(t *testing.T, res response, year string) [][]string {
	t.Helper()
	if res.StatusCode != http.StatusOK {
		t.Fatalf("csv: %d", res.StatusCode)
	}
	if ct := res.Header.Get("Content-Type"); ct != "text/csv; charset=utf-8" {
		t.Errorf("Content-Type %q", ct)
	}
	if cd := res.Header.Get("Content-Disposition"); cd != `attachment; filename="fakturor-`+year+`.csv"` {
		t.Errorf("Content-Disposition %q", cd)
	}
	body, ok := strings.CutPrefix(res.Body, "\uFEFF")
	if !ok {
		t.Fatal("no byte order mark")
	}
	r := csv.NewReader(strings.NewReader(body))
	r.Comma = ';'
	records, err := r.ReadAll()
	if err != nil {
		t.Fatalf("parse csv: %v", err)
	}
	if len(records) < 2 || !slices.Equal(records[0], invoiceCSVHeader) {
		t.Fatalf("csv %q", records)
	}
	return records
}

// invoiceXLSX opens the overview's Excel export and returns its rows.
func invoiceXLSX(t *testing.T, res response, year string) (*excelize.File, [][]string) {
	t.Helper()
	if res.StatusCode != http.StatusOK {
		t.Fatalf("xlsx: %d", res.StatusCode)
	}
	if cd := res.Header.Get("Content-Disposition"); cd != `attachment; filename="fakturor-`+year+`.xlsx"` {
		t.Errorf("Content-Disposition %q", cd)
	}
	f, err := excelize.OpenReader(bytes.NewReader([]byte(res.Body)))
	if err != nil {
		t.Fatalf("open workbook: %v", err)
	}
	t.Cleanup(func() { f.Close() })
	rows, err := f.GetRows("Fakturor", excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}
	return f, rows
}

// overviewTitles are the agreements the overview page lists, in order.
func overviewTitles(body string) []string {
	var titles []string
	for _, part := range strings.Split(body, `data-testid="overview-title">`)[1:] {
		title, _, _ := strings.Cut(part, "<")
		titles = append(titles, title)
	}
	return titles
}

// overviewRow is the overview's row of an agreement, from its title on.
func overviewRow(t *testing.T, body string, agreementID int64) string {
	t.Helper()
	_, rest, ok := strings.Cut(body, `<a href="`+invoicesURL(agreementID)+`" data-testid="overview-title">`)
	if !ok {
		t.Fatalf("no row of agreement %d", agreementID)
	}
	row, _, _ := strings.Cut(rest, "</tr>")
	return row
}

func TestInvoiceOverviewFiguresTotalsAndOrder(t *testing.T) {
	a := newApp(t)
	ikf := invDemoAgreement(t, a, ikfTitle)
	hoppfull := invDemoAgreement(t, a, hoppfullTitle)
	c := loggedIn(a, officerEmail)
	c.post(invoicesURL(ikf.ID), invoiceForm("2024-17", "2024-02-15", "2024", "1", "450 000 kr"))
	storeInvoice(t, a, hoppfull.ID, "H-2024") // 100 kr for a year the agreement does not cover

	// The default year is this year in Sweden.
	agSetToday(a, "2024-06-01")
	res := c.get("/invoices")
	if res.StatusCode != http.StatusOK || !strings.Contains(res.Body, "<h1>Fakturor 2024</h1>") {
		t.Fatalf("overview: %d", res.StatusCode)
	}
	if got := overviewTitles(res.Body); !slices.Equal(got, []string{hoppfullTitle, ikfTitle}) {
		t.Errorf("overview lists %q", got)
	}
	ikfRow := overviewRow(t, res.Body, ikf.ID)
	for _, w := range []string{kr("459 000 kr"), kr("450 000 kr"), kr("-9 000 kr"), "beräknat, ej indexerat"} {
		if !strings.Contains(ikfRow, w) {
			t.Errorf("IKF's row lacks %q:\n%s", w, ikfRow)
		}
	}
	total := invFragment(t, res.Body, "overview-total", "</tr>")
	for _, w := range []string{kr("459 000 kr"), kr("450 100 kr"), kr("-8 900 kr")} {
		if !strings.Contains(total, w) {
			t.Errorf("totals lack %q:\n%s", w, total)
		}
	}
	if !strings.Contains(res.Body, `data-testid="estimated-hint"`) {
		t.Error("no explanation of the computed expected amounts")
	}

	// Ordered by expected amount, largest first.
	res = c.get("/invoices?year=2024&sort=expected&dir=desc")
	if got := overviewTitles(res.Body); !slices.Equal(got, []string{ikfTitle, hoppfullTitle}) {
		t.Errorf("by expected, descending: %q", got)
	}
	if !strings.Contains(res.Body, `aria-sort="descending"`) {
		t.Error("the sorted column is not marked")
	}
	res = c.get("/invoices?year=2024&sort=paid")
	if got := overviewTitles(res.Body); !slices.Equal(got, []string{hoppfullTitle, ikfTitle}) {
		t.Errorf("by paid: %q", got)
	}

	// Once approved, the year is materialised: the figure is the indexation's.
	inv := invoiceByNumber(t, a, ikf.ID, "2024-17")
	if res := c.post(invoicesURL(ikf.ID)+"/"+itoa(inv.ID)+"/approve", url.Values{"version": {"1"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("approve: %d", res.StatusCode)
	}
	res = c.get("/invoices?year=2024")
	ikfRow = overviewRow(t, res.Body, ikf.ID)
	if !strings.Contains(ikfRow, kr("459 000 kr")) || strings.Contains(ikfRow, "ej indexerat") {
		t.Errorf("IKF's row after approval:\n%s", ikfRow)
	}

	records := invoiceCSV(t, c.get("/invoices.csv?year=2024"), "2024")
	want := [][]string{
		invoiceCSVHeader,
		{hoppfullTitle, hoppfull.CaseNumber, "2024", "1", "0", "100", "0", "0", "100", "Beräkning, året ej indexerat"},
		{ikfTitle, ikf.CaseNumber, "2024", "1", "459000", "450000", "450000", "0", "-9000", "Indexering"},
		{"Totalt", "", "2024", "2", "459000", "450100", "450000", "0", "-8900", ""},
	}
	if !slices.EqualFunc(records, want, slices.Equal) {
		t.Errorf("csv\n got %q\nwant %q", records, want)
	}

	f, rows := invoiceXLSX(t, c.get("/invoices.xlsx?year=2024"), "2024")
	if len(rows) != 4 || !slices.Equal(rows[0], invoiceCSVHeader) || rows[2][0] != ikfTitle || rows[2][4] != "459000" || rows[3][8] != "-8900" {
		t.Errorf("xlsx rows %q", rows)
	}
	if typ, err := f.GetCellType("Fakturor", "E3"); err != nil || typ != excelize.CellTypeUnset && typ != excelize.CellTypeNumber {
		t.Errorf("E3 is not a number cell: %v %v", typ, err)
	}
	if shown, err := f.GetCellValue("Fakturor", "E3"); err != nil || shown != "459,000 kr" {
		t.Errorf("E3 shown as %q (%v)", shown, err)
	}
	style, err := f.GetCellStyle("Fakturor", "A1")
	if err != nil {
		t.Fatal(err)
	}
	if s, err := f.GetStyle(style); err != nil || s.Font == nil || !s.Font.Bold {
		t.Errorf("header not bold: %+v %v", s, err)
	}
}

func TestInvoiceOverviewStaffSeeOnlyTheirOwn(t *testing.T) {
	a := newApp(t)
	ikf := invDemoAgreement(t, a, ikfTitle)
	hoppfull := invDemoAgreement(t, a, hoppfullTitle)
	storeInvoice(t, a, ikf.ID, "S-1")
	storeInvoice(t, a, hoppfull.ID, "S-2")

	if got := overviewTitles(loggedIn(a, officerEmail).get("/invoices?year=2024").Body); !slices.Equal(got, []string{hoppfullTitle, ikfTitle}) {
		t.Fatalf("an officer sees %q", got)
	}
	staff := loggedIn(a, ikfEmail)
	res := staff.get("/invoices?year=2024")
	if got := overviewTitles(res.Body); !slices.Equal(got, []string{ikfTitle}) || strings.Contains(res.Body, hoppfullTitle) {
		t.Errorf("IKF staff see %q", got)
	}
	records := invoiceCSV(t, staff.get("/invoices.csv?year=2024"), "2024")
	if len(records) != 3 || records[1][0] != ikfTitle || records[2][0] != "Totalt" || strings.Contains(strings.Join(records[1], ";"), "S-2") {
		t.Errorf("IKF staff's csv %q", records)
	}
	_, rows := invoiceXLSX(t, staff.get("/invoices.xlsx?year=2024"), "2024")
	if len(rows) != 3 || rows[1][0] != ikfTitle || rows[2][0] != "Totalt" {
		t.Errorf("IKF staff's xlsx %q", rows)
	}
	// A year no agreement covers and no invoice concerns lists nothing.
	if res := staff.get("/invoices?year=2030"); !strings.Contains(res.Body, `data-testid="no-overview"`) {
		t.Error("an empty year is not said to be empty")
	}
}
