package server_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"iop/internal/money"
	"iop/internal/partnership"
	"iop/internal/postgres"
)

// budYearsRow is the values of a row of the years table.
func budYearsRow(t *testing.T, body, testID, label string) []string {
	t.Helper()
	return budCells(budRow(t, body, testID, label))
}

func TestBudgetYears(t *testing.T) {
	a := newApp(t)
	c := loggedIn(a, viewerEmail)
	ctx := context.Background()

	hopp := budAgreement(t, a, budHopp)
	res := c.get(agPath(hopp.ID) + "/budget/years")
	if res.StatusCode != http.StatusOK {
		t.Fatalf("years of Hoppfull framtid: %d", res.StatusCode)
	}
	years := regexp.MustCompile(`data-testid="year-column">\s*(\d{4})`).FindAllStringSubmatch(res.Body, -1)
	if len(years) != 2 || years[0][1] != "2018" || years[1][1] != "2019" {
		t.Errorf("year columns %q", years)
	}
	if got := budYearsRow(t, res.Body, "year-party-total", "Summa "+budMunicipality); !slices.Equal(got, []string{kr("1 100 000 kr"), kr("1 122 000 kr")}) {
		t.Errorf("municipality per year %q", got)
	}
	// 649 500 + 120 000 + 70 000 + 141 000, each indexed by 2 % and rounded.
	if got := budYearsRow(t, res.Body, "year-party-total", "Summa Linköpings Stadsmission"); !slices.Equal(got, []string{kr("980 500 kr"), kr("1 000 110 kr")}) {
		t.Errorf("Stadsmissionen per year %q", got)
	}
	if got := budYearsRow(t, res.Body, "year-total", "Summa hela överenskommelsen"); !slices.Equal(got, []string{kr("2 080 500 kr"), kr("2 122 110 kr")}) {
		t.Errorf("agreement per year %q", got)
	}
	if got := budYearsRow(t, res.Body, "year-share", "Föreningarnas andel"); len(got) != 2 || got[0] != "47,13\u00a0%" {
		t.Errorf("association's share %q", got)
	}
	for _, want := range []string{"<caption", `scope="col"`, `class="table-scroll"`} {
		if !strings.Contains(res.Body, want) {
			t.Errorf("years table: no %q", want)
		}
	}

	// A decided extension adds its years.
	hopp.Extensions = append(hopp.Extensions, partnership.Extension{
		DecidedOn: time.Date(2019, 6, 10, 0, 0, 0, 0, time.UTC), DecisionRef: "AMN 2019/55",
		NewEndDate: time.Date(2021, 12, 31, 0, 0, 0, 0, time.UTC),
	})
	if _, err := postgres.NewAgreements(a.db.Pool).Update(ctx, hopp); err != nil {
		t.Fatal(err)
	}
	res = c.get(agPath(hopp.ID) + "/budget/years")
	if got := budYearsRow(t, res.Body, "year-party-total", "Summa "+budMunicipality); !slices.Equal(got,
		[]string{kr("1 100 000 kr"), kr("1 122 000 kr"), kr("1 144 440 kr"), kr("1 167 328 kr")}) {
		t.Errorf("municipality with the extension %q", got)
	}

	// IKF's municipal 450 000 kr (2023) gives 459 000 kr (2024).
	ikf := budAgreement(t, a, budIKF)
	res = c.get(agPath(ikf.ID) + "/budget/years")
	if got := budYearsRow(t, res.Body, "year-party-total", "Summa "+budMunicipality); !slices.Equal(got, []string{kr("450 000 kr"), kr("459 000 kr")}) {
		t.Errorf("IKF's municipal total %q", got)
	}

	// KISAM's draft has no dates: a message instead of the table.
	kisam := budAgreement(t, a, budKISAM)
	res = c.get(agPath(kisam.ID) + "/budget/years")
	if res.StatusCode != http.StatusOK || !strings.Contains(res.Body, `data-testid="years-message"`) || strings.Contains(res.Body, `data-testid="budget-years"`) {
		t.Errorf("years of an agreement without dates: %d", res.StatusCode)
	}
}

func TestBudgetYearsFollowRatesAndLocks(t *testing.T) {
	a := newApp(t)
	c := loggedIn(a, officerEmail)
	ctx := context.Background()
	ikf := budAgreement(t, a, budIKF)

	// The municipality's decided rate for 2024 applies in municipal mode.
	if _, err := postgres.NewIndexRates(a.db.Pool).Upsert(ctx, partnership.IndexRate{Year: 2024, RateBP: 300, Source: "OPI definitiv 2024"}); err != nil {
		t.Fatal(err)
	}
	form := budAgreementForm(t, c, ikf.ID)
	form.Set("index_mode", "municipal")
	if res := c.post(agPath(ikf.ID), form); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("switch to municipal rates: %d\n%s", res.StatusCode, res.Body)
	}
	res := c.get(agPath(ikf.ID) + "/budget/years")
	if got := budYearsRow(t, res.Body, "year-party-total", "Summa "+budMunicipality); !slices.Equal(got, []string{kr("450 000 kr"), kr("463 500 kr")}) {
		t.Errorf("municipal total with a decided 3 %%: %q", got)
	}

	// A locked year shows its materialised amounts, marked locked.
	lines := budLines(t, a, ikf.ID)
	amounts := map[int64]money.Amount{}
	for _, l := range lines {
		amounts[l.ID] = money.Kronor(1000)
	}
	lockYear(t, a, ikf.ID, 2024, amounts)
	res = c.get(agPath(ikf.ID) + "/budget/years")
	if got := budYearsRow(t, res.Body, "year-party-total", "Summa "+budMunicipality); !slices.Equal(got, []string{kr("450 000 kr"), kr("2 000 kr")}) {
		t.Errorf("municipal total with 2024 locked: %q", got)
	}
	if n := strings.Count(res.Body, `data-testid="year-locked"`); n != 1 {
		t.Errorf("%d years marked locked", n)
	}
}

// budAgreementForm is the agreement's edit form as the page fills it in.
func budAgreementForm(t *testing.T, c *client, id int64) url.Values {
	t.Helper()
	ag := agRead(t, c.app, id)
	form := agForm(ag.Title, ag.Version)
	form.Set("start_date", ag.StartDate.Format(time.DateOnly))
	form.Set("end_date", ag.EndDate.Format(time.DateOnly))
	form.Set("index_rate", "2")
	return form
}

func TestBudgetCSV(t *testing.T) {
	a := newApp(t)
	c := loggedIn(a, ikfEmail)
	ikf := budAgreement(t, a, budIKF)
	// Text that a spreadsheet would take for a formula.
	if _, err := postgres.NewBudgets(a.db.Pool).CreateLine(context.Background(), partnership.BudgetLine{
		AgreementID: ikf.ID, PartyID: budParty(t, ikf, ikfName), Text: "=HYPERLINK(\"http://x\")", Category: "@Lokal",
		Kind: partnership.InKind, Indexed: false, Amount: money.Kronor(1000),
	}); err != nil {
		t.Fatal(err)
	}
	res := c.get(agPath(ikf.ID) + "/budget.csv?year=2024")
	if res.StatusCode != http.StatusOK || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/csv") {
		t.Fatalf("CSV: %d %s", res.StatusCode, res.Header.Get("Content-Type"))
	}
	if got, want := res.Header.Get("Content-Disposition"), `attachment; filename="budget-`+itoa(ikf.ID)+`-2024.csv"`; got != want {
		t.Errorf("disposition %q, want %q", got, want)
	}
	body, ok := strings.CutPrefix(res.Body, "\uFEFF")
	if !ok {
		t.Fatal("no byte order mark")
	}
	r := csv.NewReader(strings.NewReader(body))
	r.Comma = ';'
	records, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"Part", "Avsnitt", "Budgetpost", "Kategori", "Typ", "Indexeras", "Belopp (kr)"}; !slices.Equal(records[0], want) {
		t.Errorf("headers %q", records[0])
	}
	amounts := map[string]string{}
	whole := regexp.MustCompile(`^\d+$`)
	for _, rec := range records[1:] {
		if len(rec) != 7 || !whole.MatchString(rec[6]) {
			t.Errorf("row %q: amount not whole kronor without spaces", rec)
		}
		amounts[rec[0]+"|"+rec[2]] = rec[6]
	}
	for key, want := range map[string]string{
		budMunicipality + "|Handledning för gruppverksamheten": "336600",
		budMunicipality + "|Summa " + budMunicipality:          "459000",
		budMunicipality + "|Summa kontant":                     "459000",
		ikfName + "|" + `'=HYPERLINK("http://x")`:              "1000",
		"Hela överenskommelsen|Summa hela överenskommelsen":    "919000",
	} {
		if amounts[key] != want {
			t.Errorf("%s: %q, want %q", key, amounts[key], want)
		}
	}
	if !strings.Contains(body, ";'@Lokal;") {
		t.Error("a category starting with @ is not guarded")
	}

	// Without a year: this year while the agreement covers it, else its first.
	agSetToday(a, "2024-06-01")
	c = loggedIn(a, ikfEmail) // the session does not survive the move in time
	if res := c.get(agPath(ikf.ID) + "/budget.csv"); !strings.Contains(res.Header.Get("Content-Disposition"), "-2024.csv") {
		t.Errorf("default year in 2024: %q", res.Header.Get("Content-Disposition"))
	}
	agSetToday(a, "2026-03-05")
	c = loggedIn(a, ikfEmail)
	if res := c.get(agPath(ikf.ID) + "/budget.csv"); !strings.Contains(res.Header.Get("Content-Disposition"), "-2023.csv") {
		t.Errorf("default year in 2026: %q", res.Header.Get("Content-Disposition"))
	}
	// A year outside the agreement, a malformed year, an agreement without dates.
	if res := c.get(agPath(ikf.ID) + "/budget.csv?year=2030"); res.StatusCode != http.StatusNotFound ||
		!strings.Contains(res.Body, "Överenskommelsen gäller inte år 2030. Budgeten kan exporteras för 2023–2024.") {
		t.Errorf("year outside: %d", res.StatusCode)
	}
	if res := c.get(agPath(ikf.ID) + "/budget.csv?year=tjugo"); res.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("malformed year: %d", res.StatusCode)
	}
	admin := loggedIn(a, adminEmail)
	if res := admin.get(agPath(budAgreement(t, a, budKISAM).ID) + "/budget.csv"); res.StatusCode != http.StatusUnprocessableEntity ||
		!strings.Contains(res.Body, "saknar startdatum eller slutdatum") {
		t.Errorf("agreement without dates: %d", res.StatusCode)
	}
}

func TestBudgetXLSX(t *testing.T) {
	a := newApp(t)
	c := loggedIn(a, officerEmail)
	hopp := budAgreement(t, a, budHopp)
	res := c.get(agPath(hopp.ID) + "/budget.xlsx?year=2019")
	if res.StatusCode != http.StatusOK || !strings.Contains(res.Header.Get("Content-Disposition"), `budget-`+itoa(hopp.ID)+`-2019.xlsx`) {
		t.Fatalf("XLSX: %d %q", res.StatusCode, res.Header.Get("Content-Disposition"))
	}
	f, err := excelize.OpenReader(bytes.NewReader([]byte(res.Body)))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	const sheet = "Budget 2019"
	rows, err := f.GetRows(sheet, excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"Part", "Avsnitt", "Budgetpost", "Kategori", "Typ", "Indexeras", "Belopp (kr)"}; !slices.Equal(rows[0], want) {
		t.Errorf("headers %q", rows[0])
	}
	found := false
	for i, row := range rows[1:] {
		if len(row) < 7 || row[2] != "Summa "+budMunicipality {
			continue
		}
		found = true
		cell := "G" + itoa(int64(i+2))
		if row[6] != "1122000" {
			t.Errorf("municipality 2019: %q", row[6])
		}
		typ, _ := f.GetCellType(sheet, cell)
		if typ != excelize.CellTypeUnset && typ != excelize.CellTypeNumber {
			t.Errorf("amount cell type %v, want a number", typ)
		}
		styleID, _ := f.GetCellStyle(sheet, cell)
		style, err := f.GetStyle(styleID)
		if err != nil || style.CustomNumFmt == nil || *style.CustomNumFmt != `#,##0 "kr"` || style.Font == nil || !style.Font.Bold {
			t.Errorf("total cell style %+v %v", style, err)
		}
	}
	if !found {
		t.Error("no municipal total row")
	}
	headStyle, _ := f.GetCellStyle(sheet, "A1")
	if style, err := f.GetStyle(headStyle); err != nil || style.Font == nil || !style.Font.Bold {
		t.Error("header not bold")
	}
	if panes, err := f.GetPanes(sheet); err != nil || !panes.Freeze || panes.YSplit != 1 {
		t.Errorf("header not frozen: %+v %v", panes, err)
	}
}

func TestBudgetTenancy(t *testing.T) {
	a := newApp(t)
	staff := loggedIn(a, ikfEmail)
	own := agPath(budAgreement(t, a, budIKF).ID)
	other := agPath(budAgreement(t, a, budHopp).ID)
	for _, p := range []string{"/budget", "/budget/years", "/budget.csv?year=2023", "/budget.xlsx?year=2023"} {
		if res := staff.get(own + p); res.StatusCode != http.StatusOK {
			t.Errorf("IKF staff on IKF's %s: %d", p, res.StatusCode)
		}
	}
	for _, p := range []string{"/budget", "/budget/years", "/budget.csv?year=2018", "/budget.xlsx?year=2018"} {
		if res := staff.get(other + p); res.StatusCode != http.StatusNotFound {
			t.Errorf("IKF staff on Stadsmissionen's %s: %d, want 404", p, res.StatusCode)
		}
	}
}

func TestBudgetYearsProRata(t *testing.T) {
	a := newApp(t)
	ctx := context.Background()
	start, end := time.Date(2023, 7, 1, 0, 0, 0, 0, time.UTC), time.Date(2025, 6, 30, 0, 0, 0, 0, time.UTC)
	ag := agStore(t, a, "Halva år", budMunicipality, ikfName)
	ag.StartDate, ag.EndDate = &start, &end
	ag, err := postgres.NewAgreements(a.db.Pool).Update(ctx, ag)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := postgres.NewBudgets(a.db.Pool).CreateLine(ctx, partnership.BudgetLine{
		AgreementID: ag.ID, PartyID: budParty(t, ag, budMunicipality), Text: "Handledning", Kind: partnership.Cash,
		Indexed: true, Amount: money.Kronor(120000),
	}); err != nil {
		t.Fatal(err)
	}
	res := loggedIn(a, officerEmail).get(agPath(ag.ID) + "/budget/years")
	// Half of 120 000; the full 2 % step; half of 124 848.
	if got := budYearsRow(t, res.Body, "year-party-total", "Summa "+budMunicipality); !slices.Equal(got, []string{kr("60 000 kr"), kr("122 400 kr"), kr("62 424 kr")}) {
		t.Errorf("pro-rated years %q", got)
	}
	if n := strings.Count(res.Body, "6/12 av året"); n != 2 {
		t.Errorf("%d partly covered years noted, want 2", n)
	}
	// The associations contribute nothing: their share is 0 %.
	if got := budYearsRow(t, res.Body, "year-share", "Föreningarnas andel"); got[0] != "0\u00a0%" {
		t.Errorf("share %q", got)
	}
}
