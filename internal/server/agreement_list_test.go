package server_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
)

// listSeed is an agreement inserted with plain SQL for the list tests;
// parties are demo organisation names with their roles, dates ISO strings.
type listSeed struct {
	title, caseNumber, status string
	start, end                string
	extensionMonths, maxExt   int
	noticeMonths              int
	parties                   [][2]string // organisation name, role
	extensions                []string    // new end dates
}

// seedListAgreement writes the agreement directly, independent of the
// agreement store, and returns its id.
func seedListAgreement(t *testing.T, a *app, s listSeed) int64 {
	t.Helper()
	ctx := context.Background()
	date := func(v string) *string {
		if v == "" {
			return nil
		}
		return &v
	}
	var id int64
	err := a.db.Pool.QueryRow(ctx, `INSERT INTO agreements (title, case_number, status, start_date, end_date,
			extension_months, max_extensions, notice_months) VALUES ($1, $2, $3, $4::date, $5::date, $6, $7, $8) RETURNING id`,
		s.title, s.caseNumber, s.status, date(s.start), date(s.end), s.extensionMonths, s.maxExt, s.noticeMonths).Scan(&id)
	if err != nil {
		t.Fatalf("insert %s: %v", s.title, err)
	}
	for i, p := range s.parties {
		if _, err := a.db.Pool.Exec(ctx, `INSERT INTO agreement_parties (agreement_id, organisation_id, role, position)
			VALUES ($1, $2, $3, $4)`, id, orgID(t, a, p[0]), p[1], i); err != nil {
			t.Fatalf("party %s of %s: %v", p[0], s.title, err)
		}
	}
	for _, end := range s.extensions {
		if _, err := a.db.Pool.Exec(ctx, `INSERT INTO agreement_extensions (agreement_id, decided_on, decision_ref, new_end_date)
			VALUES ($1, $2::date - 180, 'AMN § 12', $2::date)`, id, end); err != nil {
			t.Fatalf("extension of %s: %v", s.title, err)
		}
	}
	return id
}

const (
	listIKFName          = "Internationella Kvinnoföreningen Linköping (IKF)"
	listStadsmissionName = "Linköpings Stadsmission"
	listKommunName       = "Linköpings kommun"
)

// listTitles are the agreements of seedList, by title.
var listTitles = struct{ inkludering, hoppfull, formula, sprakcafe string }{
	"Listtest Inkludering", "Listtest Hoppfull framtid", "=1+1 Listtest formel", `Listtest Språkcafé; "öppet"`,
}

// seedList sets the clock to 2026-03-05 and inserts four agreements: two
// with IKF (one active with warnings, one ended) and two without.
func seedList(t *testing.T, a *app) {
	t.Helper()
	a.clock.mu.Lock()
	a.clock.t = time.Date(2026, 3, 5, 10, 0, 0, 0, time.UTC)
	a.clock.mu.Unlock()
	seedListAgreement(t, a, listSeed{
		title: listTitles.inkludering, caseNumber: "AMN 2024/11", status: "active", start: "2025-01-01", end: "2026-06-30",
		extensionMonths: 12, maxExt: 1, noticeMonths: 3,
		parties: [][2]string{{listKommunName, "municipality"}, {listIKFName, "lead_association"}},
	})
	seedListAgreement(t, a, listSeed{
		title: listTitles.hoppfull, caseNumber: "AMN 2021/9", status: "active", start: "2022-01-01", end: "2025-12-31",
		extensionMonths: 24, maxExt: 2, noticeMonths: 6, extensions: []string{"2027-12-31"},
		parties: [][2]string{{listKommunName, "municipality"}, {listStadsmissionName, "lead_association"}},
	})
	seedListAgreement(t, a, listSeed{
		title: listTitles.formula, status: "draft",
		parties: [][2]string{{"KISAM-Världens mammor", "lead_association"}, {listStadsmissionName, "partner_association"}},
	})
	seedListAgreement(t, a, listSeed{
		title: listTitles.sprakcafe, caseNumber: "-AMN 2022/4", status: "active", start: "2023-01-01", end: "2024-12-31",
		parties: [][2]string{{listKommunName, "municipality"}, {listIKFName, "lead_association"}},
	})
}

var (
	listTitleRE = regexp.MustCompile(`data-testid="agreement-title">([^<]*)</a>`)
	listRowRE   = regexp.MustCompile(`(?s)<tr data-testid="agreement-row">.*?</tr>`)
)

// listedTitles are the titles of the list page's rows, in order.
func listedTitles(body string) []string {
	var out []string
	for _, m := range listTitleRE.FindAllStringSubmatch(body, -1) {
		out = append(out, html.UnescapeString(m[1]))
	}
	return out
}

func TestAgreementListPage(t *testing.T) {
	a := newApp(t)
	seedList(t, a)
	officer := loggedIn(a, officerEmail)
	res := officer.get("/agreements?q=Listtest")
	if res.StatusCode != http.StatusOK {
		t.Fatalf("list: %d", res.StatusCode)
	}
	want := []string{listTitles.formula, listTitles.hoppfull, listTitles.inkludering, listTitles.sprakcafe}
	if got := listedTitles(res.Body); !slices.Equal(got, want) {
		t.Errorf("titles %q, want %q", got, want)
	}
	for _, s := range []string{
		"Visar 1–4 av 4", `href="/agreements/new"`, "Ny överenskommelse",
		"Beslut om förlängning behövs senast", "Upphör 2026-06-30", // Inkludering's warnings
		"2027-12-31", "förlängd 1 gång, ursprungligen 2025-12-31", // Hoppfull framtid's extension
		"Avslutad", "Utkast", "Huvudansvarig förening",
		`href="/agreements.csv?q=Listtest"`, `href="/agreements.xlsx?q=Listtest"`,
		`<th scope="col" aria-sort="ascending"><a href="/agreements?dir=desc&amp;q=Listtest&amp;sort=title">`,
	} {
		if !strings.Contains(res.Body, s) {
			t.Errorf("list lacks %q", s)
		}
	}

	stadsmission := itoa(orgID(t, a, listStadsmissionName))
	for query, want := range map[string][]string{
		"q=listtest&status=ended":         {listTitles.sprakcafe},
		"q=Listtest&status=active":        {listTitles.hoppfull, listTitles.inkludering},
		"q=Listtest&org=" + stadsmission:  {listTitles.formula, listTitles.hoppfull},
		"q=Listtest&year=2027":            {listTitles.hoppfull},
		"q=Listtest&year=2024&sort=end":   {listTitles.sprakcafe, listTitles.hoppfull},
		"q=AMN+2024%2F11":                 {listTitles.inkludering},
		"q=Listtest&sort=start&dir=desc":  {listTitles.inkludering, listTitles.sprakcafe, listTitles.hoppfull, listTitles.formula},
		"q=Listtest&sort=status":          {listTitles.formula, listTitles.hoppfull, listTitles.inkludering, listTitles.sprakcafe},
		"q=Listtest&status=bogus&year=x":  want, // invalid filters are ignored
		"q=Listtest&sort=id&dir=sideways": want,
	} {
		res := officer.get("/agreements?" + query)
		if got := listedTitles(res.Body); res.StatusCode != http.StatusOK || !slices.Equal(got, want) {
			t.Errorf("%s: %d %q, want %q", query, res.StatusCode, got, want)
		}
	}
	// Bytes PostgreSQL would refuse are refused with the Swedish page.
	if res := officer.get("/agreements?q=%FFListtest%00"); res.StatusCode != http.StatusUnprocessableEntity ||
		!strings.Contains(res.Body, "Otillåtna tecken") {
		t.Errorf("a NUL byte and invalid UTF-8 in the search: %d", res.StatusCode)
	}
	// A party's name finds the agreement (the demo data may hold more of IKF's).
	byParty := listedTitles(officer.get("/agreements?q=kvinnof%C3%B6reningen+link").Body)
	if !slices.Contains(byParty, listTitles.inkludering) || !slices.Contains(byParty, listTitles.sprakcafe) ||
		slices.Contains(byParty, listTitles.hoppfull) || slices.Contains(byParty, listTitles.formula) {
		t.Errorf("search by party name: %q", byParty)
	}
	if res := officer.get("/agreements?q=Listtest&sort=start&dir=desc"); !strings.Contains(res.Body, `aria-sort="descending"`) ||
		!strings.Contains(res.Body, `<input type="hidden" name="sort" value="start">`) {
		t.Error("sorted list does not mark the column or keep the order in the filter form")
	}
	if res := officer.get("/agreements?q=finns-inte"); !strings.Contains(res.Body, "Inga överenskommelser matchar sökningen.") {
		t.Error("no message for an empty result")
	}
	if res := loggedIn(a, viewerEmail).get("/agreements?q=Listtest"); strings.Contains(res.Body, "Ny överenskommelse") ||
		len(listedTitles(res.Body)) != 4 {
		t.Error("viewer: sees the create button or not every agreement")
	}
}

func TestAgreementListPagination(t *testing.T) {
	a := newApp(t)
	seedList(t, a)
	for i := 1; i <= 27; i++ {
		seedListAgreement(t, a, listSeed{title: fmt.Sprintf("Sidtest %02d", i), status: "draft"})
	}
	c := loggedIn(a, officerEmail)
	first := c.get("/agreements?q=Sidtest")
	titles := listedTitles(first.Body)
	if len(titles) != 25 || titles[0] != "Sidtest 01" || !strings.Contains(first.Body, "Visar 1–25 av 27") ||
		!strings.Contains(first.Body, "Sida 1 av 2") || strings.Contains(first.Body, "Föregående") ||
		!strings.Contains(first.Body, `href="/agreements?page=2&amp;q=Sidtest" rel="next"`) {
		t.Errorf("first page: %d titles %q", len(titles), titles)
	}
	second := c.get("/agreements?q=Sidtest&page=2")
	if got := listedTitles(second.Body); !slices.Equal(got, []string{"Sidtest 26", "Sidtest 27"}) ||
		!strings.Contains(second.Body, "Visar 26–27 av 27") || strings.Contains(second.Body, "Nästa") ||
		!strings.Contains(second.Body, `href="/agreements?q=Sidtest" rel="prev"`) {
		t.Errorf("second page: %q", got)
	}
	if got := listedTitles(c.get("/agreements?q=Sidtest&page=99").Body); len(got) != 2 {
		t.Errorf("page past the end: %q, want the last page", got)
	}
}

// csvRecords checks the export's framing and parses it.
func csvRecords(t *testing.T, res response) [][]string {
	t.Helper()
	if res.StatusCode != http.StatusOK {
		t.Fatalf("csv: %d", res.StatusCode)
	}
	if ct := res.Header.Get("Content-Type"); ct != "text/csv; charset=utf-8" {
		t.Errorf("Content-Type %q", ct)
	}
	if cd := res.Header.Get("Content-Disposition"); cd != `attachment; filename="overenskommelser-2026-03-05.csv"` {
		t.Errorf("Content-Disposition %q", cd)
	}
	body, ok := strings.CutPrefix(res.Body, "\uFEFF")
	if !ok {
		t.Fatalf("no byte order mark: %q", res.Body[:min(len(res.Body), 10)])
	}
	r := csv.NewReader(strings.NewReader(body))
	r.Comma = ';'
	records, err := r.ReadAll()
	if err != nil {
		t.Fatalf("parse csv: %v", err)
	}
	header := []string{"Namn", "Diarienummer", "Parter", "Startdatum", "Slutdatum", "Gällande slutdatum", "Status", "Varningar"}
	if len(records) == 0 || !slices.Equal(records[0], header) {
		t.Fatalf("header %q", records[0])
	}
	if !strings.HasPrefix(body, strings.Join(header, ";")+"\r\n") {
		t.Errorf("not ;-separated with CRLF: %q", body[:80])
	}
	return records[1:]
}

func TestAgreementListCSV(t *testing.T) {
	a := newApp(t)
	seedList(t, a)
	c := loggedIn(a, officerEmail)
	records := csvRecords(t, c.get("/agreements.csv?q=Listtest&sort=end"))
	byTitle := map[string][]string{}
	var order []string
	for _, rec := range records {
		byTitle[rec[0]] = rec
		order = append(order, rec[0])
	}
	// Cells that a spreadsheet would read as a formula are quoted away.
	formula, sprak := "'"+listTitles.formula, listTitles.sprakcafe
	if want := []string{sprak, listTitles.inkludering, listTitles.hoppfull, formula}; !slices.Equal(order, want) {
		t.Errorf("rows %q, want %q", order, want)
	}
	if got := byTitle[listTitles.hoppfull]; !slices.Equal(got, []string{listTitles.hoppfull, "AMN 2021/9",
		"Linköpings kommun (Kommun), Linköpings Stadsmission (Huvudansvarig förening)",
		"2022-01-01", "2025-12-31", "2027-12-31", "Aktiv", ""}) {
		t.Errorf("extended agreement %q", got)
	}
	if got := byTitle[sprak]; got[1] != "'-AMN 2022/4" || got[6] != "Avslutad" {
		t.Errorf("ended agreement %q", got)
	}
	if got := byTitle[listTitles.inkludering][7]; !strings.Contains(got, "Beslut om förlängning behövs senast") ||
		!strings.Contains(got, "Upphör 2026-06-30") {
		t.Errorf("warnings %q", got)
	}
	if got := byTitle[formula]; got[3] != "" || got[6] != "Utkast" {
		t.Errorf("draft %q", got)
	}
	// The export follows the list's filters.
	if got := csvRecords(t, c.get("/agreements.csv?q=Listtest&status=ended")); len(got) != 1 || got[0][0] != sprak {
		t.Errorf("filtered export %q", got)
	}
}

// xlsxRows checks the workbook's framing and returns its rows as shown.
func xlsxRows(t *testing.T, res response) (*excelize.File, [][]string) {
	t.Helper()
	if res.StatusCode != http.StatusOK {
		t.Fatalf("xlsx: %d", res.StatusCode)
	}
	if ct := res.Header.Get("Content-Type"); ct != "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" {
		t.Errorf("Content-Type %q", ct)
	}
	if cd := res.Header.Get("Content-Disposition"); cd != `attachment; filename="overenskommelser-2026-03-05.xlsx"` {
		t.Errorf("Content-Disposition %q", cd)
	}
	f, err := excelize.OpenReader(bytes.NewReader([]byte(res.Body)))
	if err != nil {
		t.Fatalf("open workbook: %v", err)
	}
	t.Cleanup(func() { f.Close() })
	rows, err := f.GetRows("Överenskommelser")
	if err != nil {
		t.Fatal(err)
	}
	return f, rows
}

func TestAgreementListXLSX(t *testing.T) {
	a := newApp(t)
	seedList(t, a)
	f, rows := xlsxRows(t, loggedIn(a, officerEmail).get("/agreements.xlsx?q=Listtest&sort=end"))
	const sheet = "Överenskommelser"
	if len(rows) != 5 || rows[0][5] != "Gällande slutdatum" {
		t.Fatalf("rows %q", rows)
	}
	// Hoppfull framtid: dates shown as ISO, stored as date serials.
	hopp := rows[3]
	if hopp[0] != listTitles.hoppfull || hopp[3] != "2022-01-01" || hopp[4] != "2025-12-31" || hopp[5] != "2027-12-31" || hopp[6] != "Aktiv" {
		t.Errorf("extended agreement %q", hopp)
	}
	raw, err := f.GetCellValue(sheet, "F4", excelize.Options{RawCellValue: true})
	if err != nil || raw != "46752" { // 2027-12-31 in the 1900 date system
		t.Errorf("current end stored as %q (%v), want the date serial", raw, err)
	}
	// Text stays text, even when it looks like a formula.
	if formula, _ := f.GetCellFormula(sheet, "A5"); formula != "" || rows[4][0] != listTitles.formula {
		t.Errorf("formula-like title: formula %q, value %q", formula, rows[4][0])
	}
	styleID, _ := f.GetCellStyle(sheet, "A1")
	if style, err := f.GetStyle(styleID); err != nil || style.Font == nil || !style.Font.Bold {
		t.Error("header is not bold")
	}
	if panes, err := f.GetPanes(sheet); err != nil || !panes.Freeze || panes.YSplit != 1 {
		t.Errorf("header not frozen: %+v %v", panes, err)
	}
	filtered := false
	for _, dn := range f.GetDefinedName() {
		filtered = filtered || dn.Name == "_xlnm._FilterDatabase" && strings.HasSuffix(dn.RefersTo, "$A$1:$H$5")
	}
	if !filtered {
		t.Errorf("no autofilter over A1:H5: %+v", f.GetDefinedName())
	}
	if w, _ := f.GetColWidth(sheet, "C"); w < 40 {
		t.Errorf("parties column width %v", w)
	}
}

// TestAgreementListStaffSeeOnlyTheirOwn checks that IKF's staff see only
// agreements where IKF is a party, in the list and in both exports, whatever
// the filters say.
func TestAgreementListStaffSeeOnlyTheirOwn(t *testing.T) {
	a := newApp(t)
	seedList(t, a)
	c := loggedIn(a, ikfEmail)
	mine := []string{listTitles.inkludering, listTitles.sprakcafe}
	stadsmission := itoa(orgID(t, a, listStadsmissionName))
	for _, query := range []string{"", "?q=Listtest", "?q=stadsmission", "?org=" + stadsmission, "?status=draft", "?year=2027"} {
		res := c.get("/agreements" + query)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("list%s: %d", query, res.StatusCode)
		}
		for _, row := range listRowRE.FindAllString(res.Body, -1) {
			if !strings.Contains(row, listIKFName) {
				t.Errorf("list%s shows a row without IKF: %s", query, row)
			}
		}
		if strings.Contains(res.Body, "Ny överenskommelse") || strings.Contains(res.Body, `id="org"`) {
			t.Errorf("list%s offers creating or filtering by organisation", query)
		}
		for _, rec := range csvRecords(t, c.get("/agreements.csv"+query)) {
			if !strings.Contains(rec[2], listIKFName) {
				t.Errorf("csv%s exports %q with parties %q", query, rec[0], rec[2])
			}
		}
		_, rows := xlsxRows(t, c.get("/agreements.xlsx"+query))
		for _, row := range rows[1:] {
			if !strings.Contains(row[2], listIKFName) {
				t.Errorf("xlsx%s exports %q with parties %q", query, row[0], row[2])
			}
		}
	}
	if got := listedTitles(c.get("/agreements?q=Listtest").Body); !slices.Equal(got, mine) {
		t.Errorf("IKF's staff see %q, want %q", got, mine)
	}
	if got := csvRecords(t, c.get("/agreements.csv?q=Listtest")); len(got) != 2 {
		t.Errorf("IKF's staff export %d agreements", len(got))
	}
	if _, rows := xlsxRows(t, c.get("/agreements.xlsx?q=Listtest")); len(rows) != 3 {
		t.Errorf("IKF's staff export %d rows to xlsx", len(rows))
	}
	// A parameter that is not a filter cannot be used to widen the scope.
	if got := listedTitles(c.get("/agreements?" + url.Values{"q": {"Listtest"}, "scope": {"all"}}.Encode()).Body); !slices.Equal(got, mine) {
		t.Errorf("with scope=all: %q", got)
	}
}
