package server_test

import (
	"bytes"
	"context"
	"fmt"
	"html"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/xuri/excelize/v2"

	"iop/internal/partnership"
	"iop/internal/postgres"
)

func TestActivityListPagingTotalsAndFilters(t *testing.T) {
	a := newApp(t)
	agSetToday(a, logToday)
	ag, types := logAgreement(t, a, "Många", ikfOrganisation)
	ctx := context.Background()
	var list []partnership.Activity
	day := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range 120 {
		typ := types["Må bra-grupp"]
		if i%4 == 0 {
			typ = types["Samtal"]
		}
		list = append(list, partnership.Activity{
			AgreementID: ag.ID, TypeID: typ.ID, Date: day.AddDate(0, 0, i/2), DurationMinutes: 30 + i%3*15,
			Women: i % 5, Men: 1, NonBinary: i % 2, Children: 2, VolunteerMinutes: 15,
		})
	}
	list = append(list, partnership.Activity{AgreementID: ag.ID, TypeID: types["Samtal"].ID,
		Date: time.Date(2025, 12, 30, 0, 0, 0, 0, time.UTC), DurationMinutes: 60, Women: 100})
	if err := a.db.InTx(ctx, func(tx pgx.Tx) error {
		_, err := postgres.NewActivities(tx).Import(ctx, ag.ID, nil, nil, list)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	c := loggedIn(a, viewerEmail)

	// The default filter is this year: 120 entries in three pages of 50.
	var seen []string
	path := logPath(ag.ID)
	for pages := 0; path != ""; pages++ {
		if pages == 3 {
			t.Fatal("more than three pages")
		}
		res := c.get(path)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("%s: %d", path, res.StatusCode)
		}
		ids := logRowIDs(res.Body)
		if want := []int{50, 50, 20}[pages]; len(ids) != want {
			t.Errorf("page %d: %d rows, want %d", pages+1, len(ids), want)
		}
		seen = append(seen, ids...)
		path = html.UnescapeString(logLink(res.Body, "next-page"))
		if pages > 0 && logLink(res.Body, "first-page") == "" {
			t.Errorf("page %d has no link to the first page", pages+1)
		}
	}
	slices.Sort(seen)
	if len(slices.Compact(seen)) != 120 {
		t.Errorf("%d distinct rows over the pages, want 120", len(slices.Compact(seen)))
	}

	// The totals of the filter are the store's sums.
	var want struct{ minutes, women, nonBinary int }
	for _, x := range list[:120] {
		want.minutes += x.DurationMinutes
		want.women += x.Women
		want.nonBinary += x.NonBinary
	}
	res := c.get(logPath(ag.ID))
	for id, v := range map[string]string{
		"total-occasions": "120", "total-hours": partnership.FormatHours(int64(want.minutes)),
		"total-women": fmt.Sprint(want.women), "total-men": "120", "total-non-binary": fmt.Sprint(want.nonBinary),
		"total-children": "240", "total-volunteer": "30",
		"total-attendance": fmt.Sprint(want.women + 120 + want.nonBinary + 240),
	} {
		if got := logTestID(res.Body, id); got != v {
			t.Errorf("%s = %q, want %q", id, got, v)
		}
	}

	// Filters: a type, a period, everything.
	res = c.get(logPath(ag.ID) + "?type_id=" + itoa(types["Samtal"].ID) + "&from=2026-01-01&to=2026-12-31")
	if got := logTestID(res.Body, "total-occasions"); got != "30" {
		t.Errorf("Samtal this year: %s occasions, want 30", got)
	}
	res = c.get(logPath(ag.ID) + "?from=2026-01-01&to=2026-01-10")
	if got := logTestID(res.Body, "total-occasions"); got != "20" {
		t.Errorf("ten days: %s occasions, want 20", got)
	}
	res = c.get(logPath(ag.ID) + "?from=&to=")
	if got := logTestID(res.Body, "total-occasions"); got != "121" {
		t.Errorf("all dates: %s occasions, want 121", got)
	}
	res = c.get(logPath(ag.ID) + "?from=2026-02-01&to=2026-01-01")
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Body, "Slutdatumet får inte vara före startdatumet.") {
		t.Errorf("reversed period: %d", res.StatusCode)
	}
	if res := c.get(logPath(ag.ID) + "?after=inte-en-markor"); res.StatusCode != http.StatusBadRequest {
		t.Errorf("bad cursor: %d", res.StatusCode)
	}
}

var (
	logRowRE    = regexp.MustCompile(`<tr data-testid="activity" data-id="(\d+)">`)
	logTestIDRE = regexp.MustCompile(`data-testid="([a-z-]+)">([^<]*)<`)
	logLinkRE   = regexp.MustCompile(`<a href="([^"]*)" data-testid="([a-z-]+)"`)
)

func logRowIDs(body string) []string {
	var ids []string
	for _, m := range logRowRE.FindAllStringSubmatch(body, -1) {
		ids = append(ids, m[1])
	}
	return ids
}

// logTestID is the text of the element with the data-testid, spaces
// between thousands removed.
func logTestID(body, id string) string {
	for _, m := range logTestIDRE.FindAllStringSubmatch(body, -1) {
		if m[1] == id {
			return strings.ReplaceAll(strings.TrimSpace(m[2]), "\u00a0", "")
		}
	}
	return ""
}

func logLink(body, id string) string {
	for _, m := range logLinkRE.FindAllStringSubmatch(body, -1) {
		if m[2] == id {
			return m[1]
		}
	}
	return ""
}

func TestActivityExportCSVAndXLSX(t *testing.T) {
	a := newApp(t)
	agSetToday(a, logToday)
	ag, types := logAgreement(t, a, "Export", ikfOrganisation)
	c := loggedIn(a, ikfEmail)
	for _, date := range []string{"2026-05-05", "2026-05-06", "2025-11-11"} {
		form := logForm(types["Må bra-grupp"], date)
		if date == "2026-05-06" {
			form = logForm(types["Samtal"], date)
			form.Set("notes", "=HYPERLINK(\"x\")")
		}
		if res := c.post(logPath(ag.ID), form); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("log %s: %d", date, res.StatusCode)
		}
	}
	viewer := loggedIn(a, viewerEmail)

	// CSV: the list's filter (this year by default), in the import's
	// columns, so that it reads back with the import parser.
	res := viewer.get(logPath(ag.ID) + ".csv")
	if res.StatusCode != http.StatusOK || res.Header.Get("Content-Type") != "text/csv; charset=utf-8" ||
		res.Header.Get("Content-Disposition") != `attachment; filename="aktiviteter-`+itoa(ag.ID)+`-2026-06-15.csv"` {
		t.Fatalf("csv: %d %v", res.StatusCode, res.Header)
	}
	allTypes := []partnership.ActivityType{types["Må bra-grupp"], types["Samtal"]}
	today, _ := time.Parse(time.DateOnly, logToday)
	back, err := partnership.ParseActivityImport([]byte(res.Body), allTypes, today)
	if err != nil {
		t.Fatalf("export does not read back: %v", err)
	}
	if len(back) != 2 || back[0].TypeName != "Samtal" || back[0].Notes != `'=HYPERLINK("x")` || back[1].DurationMinutes != 90 ||
		back[1].VolunteerMinutes != 135 || back[1].Women != 12 || back[1].Place != "Föreningens lokal" {
		t.Errorf("read back %+v", back)
	}
	res = viewer.get(logPath(ag.ID) + ".csv?from=&to=&type_id=" + itoa(types["Må bra-grupp"].ID))
	if back, err := partnership.ParseActivityImport([]byte(res.Body), allTypes, today); err != nil || len(back) != 2 {
		t.Errorf("filtered csv: %d rows, %v", len(back), err)
	}

	// XLSX: the same rows, dates and numbers as such.
	res = viewer.get(logPath(ag.ID) + ".xlsx?from=&to=")
	if res.StatusCode != http.StatusOK || res.Header.Get("Content-Type") != "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" {
		t.Fatalf("xlsx: %d", res.StatusCode)
	}
	f, err := excelize.OpenReader(bytes.NewReader([]byte(res.Body)))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows("Aktiviteter")
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 4 || !slices.Equal(rows[0], partnership.ActivityImportColumns) {
		t.Fatalf("rows %q", rows)
	}
	if rows[3][0] != "Må bra-grupp" || rows[3][1] != "2025-11-11" || rows[3][2] != "1.5" || rows[3][7] != "2.25" || rows[2][10] != "Tema: sömn" {
		t.Errorf("last rows %q", rows[2:])
	}
	if typ, _ := f.GetCellType("Aktiviteter", "C2"); typ != excelize.CellTypeNumber && typ != excelize.CellTypeUnset {
		t.Errorf("hours cell type %v", typ)
	}
	if res := viewer.get(logPath(ag.ID) + ".xlsx?from=inte-ett-datum"); res.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("bad filter: %d", res.StatusCode)
	}
}

func TestStaffHomeLogsActivities(t *testing.T) {
	a := newApp(t)
	ikfDemo := actAgreement(t, a, progIKFTitle)
	c := loggedIn(a, ikfEmail)
	home := c.get("/")
	id := itoa(ikfDemo.ID)
	for _, want := range []string{
		`id="activity-log-` + id + `"`, `hx-post="/agreements/` + id + `/activities"`, `name="return_to" value="/"`,
		`id="progress-` + id + `"`, `id="activity-rows-` + id + `"`, `id="activity-status-` + id + `" role="status"`,
		"Inkludering på lika villkor",
	} {
		if !strings.Contains(home.Body, want) {
			t.Errorf("start page lacks %q", want)
		}
	}
	if n := len(logRowIDs(home.Body)); n != 5 {
		t.Errorf("%d latest entries, want 5", n)
	}
	if strings.Contains(home.Body, "Hoppfull framtid") {
		t.Error("IKF's start page shows Stadsmissionen's agreement")
	}
	types, err := postgres.NewActivityTypes(a.db.Pool).Types(context.Background(), ikfDemo.ID)
	if err != nil {
		t.Fatal(err)
	}
	today := swedishToday(t, a)

	// Without JavaScript: back to the start page, with the flash and the entry.
	form := logForm(types[0], today)
	form.Set("return_to", "/")
	form.Set("notes", "Från startsidan")
	res := c.post(logPath(ikfDemo.ID), form)
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/" {
		t.Fatalf("log from the start page: %d %q", res.StatusCode, res.Header.Get("Location"))
	}
	home = c.get("/")
	if !strings.Contains(home.Body, `data-testid="flash"`) || !strings.Contains(home.Body, "Från startsidan") {
		t.Errorf("start page after logging lacks the flash or the entry")
	}
	// With htmx: the progress section sits under the agreement's heading.
	res = c.postHX(logPath(ikfDemo.ID), form)
	if res.StatusCode != http.StatusOK || !regexp.MustCompile(`<h3 id="progress-`+id+`-heading">`).MatchString(res.Body) ||
		!strings.Contains(res.Body, "return_to=%2F") {
		t.Errorf("htmx log from the start page: %d\n%s", res.StatusCode, res.Body)
	}
	// Municipal roles keep their overview.
	if res := loggedIn(a, officerEmail).get("/"); strings.Contains(res.Body, "activity-log-") {
		t.Error("the officer's start page has a log form")
	}
}
