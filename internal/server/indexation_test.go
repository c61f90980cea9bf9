package server_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"iop/internal/demo"
	"iop/internal/indexation"
	"iop/internal/money"
	"iop/internal/partnership"
	"iop/internal/postgres"
)

const ikfAgreementTitle = "Inkludering på lika villkor"

// newIndexRate records a decided index rate for the matrix and the tests
// and returns its year.
func newIndexRate(t *testing.T, a *app, year int, bp int64, source string) string {
	t.Helper()
	if _, err := postgres.NewIndexRates(a.db.Pool).Upsert(context.Background(),
		partnership.IndexRate{Year: year, RateBP: bp, Source: source}); err != nil {
		t.Fatal(err)
	}
	return strconv.Itoa(year)
}

// ixAgreementID is the id of a demo agreement.
func ixAgreementID(t *testing.T, a *app, title string) int64 {
	t.Helper()
	ag, err := postgres.NewAgreements(a.db.Pool).ByTitle(context.Background(), title)
	if err != nil {
		t.Fatal(err)
	}
	return ag.ID
}

// ixCounts counts the stored amounts, the recorded runs and the audit events.
func ixCounts(t *testing.T, a *app) (amounts, runs, events int) {
	t.Helper()
	err := a.db.Pool.QueryRow(context.Background(), `SELECT (SELECT count(*) FROM budget_year_amounts),
		(SELECT count(*) FROM indexation_runs), (SELECT count(*) FROM audit_events)`).Scan(&amounts, &runs, &events)
	if err != nil {
		t.Fatal(err)
	}
	return amounts, runs, events
}

// followFlash follows a 303 and returns the page it leads to.
func (c *client) followFlash(res response) response {
	c.app.t.Helper()
	if res.StatusCode != http.StatusSeeOther {
		c.app.t.Fatalf("status %d, want 303\n%s", res.StatusCode, res.Body)
	}
	return c.get(res.Header.Get("Location"))
}

func TestIndexationPreviewAndRun(t *testing.T) {
	a := newApp(t)
	c := loggedIn(a, officerEmail)
	kr459 := money.Kronor(459000).String()

	// The preview shows old → new per party and changes nothing.
	amounts, runs, events := ixCounts(t, a)
	res := c.get("/indexation?year=2024")
	if res.StatusCode != http.StatusOK {
		t.Fatalf("preview: %d", res.StatusCode)
	}
	for _, want := range []string{"Förhandsgranskning av 2024", ikfAgreementTitle, "Linköpings kommun", kr459,
		"inte indexerat", "5 nya belopp, 0 ändrade, 0 oförändrade, 0 låsta", `data-testid="confirm-indexation"`,
		`value="2024"`, "Indexeringen har inte körts ännu."} {
		if !strings.Contains(res.Body, want) {
			t.Errorf("preview lacks %q", want)
		}
	}
	if strings.Contains(res.Body, "Hoppfull framtid") {
		t.Error("the preview of 2024 lists an agreement that ended in 2019")
	}
	if a2, r2, e2 := ixCounts(t, a); a2 != amounts || r2 != runs || e2 != events {
		t.Errorf("the preview wrote: amounts %d→%d, runs %d→%d, events %d→%d", amounts, a2, runs, r2, events, e2)
	}

	// Confirming runs it; the page says what it did and lists the run.
	res = c.post("/indexation", url.Values{"year": {"2024"}})
	if loc := res.Header.Get("Location"); loc != "/indexation?year=2024" {
		t.Errorf("after the run: redirected to %q", loc)
	}
	page := c.followFlash(res)
	if !strings.Contains(page.Body, "Indexeringen av år 2024 är klar: 5 nya belopp, 0 ändrade, 0 oförändrade, 0 låsta i 1 överenskommelse.") ||
		!strings.Contains(page.Body, "Erik Johansson") || !strings.Contains(page.Body, "Inga ändringar behövs: år 2024 är redan indexerat.") {
		t.Errorf("page after the run:\n%s", page.Body)
	}
	if a2, r2, _ := ixCounts(t, a); a2 != amounts+5 || r2 != runs+1 {
		t.Errorf("after the run: %d amounts, %d runs", a2, r2)
	}
	var indexed int
	if err := a.db.Pool.QueryRow(context.Background(), `SELECT count(*) FROM audit_events
		WHERE action = 'budget.indexed' AND entity = 'agreement' AND entity_id = $1 AND actor_id = $2`,
		itoa(ixAgreementID(t, a, ikfAgreementTitle)), a.userID(officerEmail)).Scan(&indexed); err != nil || indexed != 1 {
		t.Errorf("budget.indexed events: %d %v", indexed, err)
	}

	// A second confirmation changes nothing and says so.
	page = c.followFlash(c.post("/indexation", url.Values{"year": {"2024"}}))
	if !strings.Contains(page.Body, "Inga ändringar: år 2024 var redan indexerat.") {
		t.Errorf("second run's page:\n%s", page.Body)
	}
	if a2, _, _ := ixCounts(t, a); a2 != amounts+5 {
		t.Errorf("the second run changed the amounts: %d", a2)
	}

	// Without a year the page previews the current year.
	year := strconv.Itoa(indexation.CurrentYear(a.clock.Now()))
	if res := c.get("/indexation"); res.StatusCode != http.StatusOK || !strings.Contains(res.Body, `value="`+year+`"`) {
		t.Errorf("default year: %d", res.StatusCode)
	}
	// A year that is no year, or one the system keeps nothing for, is refused on the form.
	if res := c.get("/indexation?year=tjugo"); res.StatusCode != http.StatusUnprocessableEntity ||
		!strings.Contains(res.Body, "Ange året med fyra siffror") || !strings.Contains(res.Body, `data-testid="error-summary"`) {
		t.Errorf("year tjugo: %d", res.StatusCode)
	}
	if res := c.post("/indexation", url.Values{"year": {"1999"}}); res.StatusCode != http.StatusUnprocessableEntity ||
		!strings.Contains(res.Body, "Ange ett år mellan 2000 och 2100.") || !strings.Contains(res.Body, `value="1999"`) {
		t.Errorf("run of 1999: %d", res.StatusCode)
	}
}

func TestIndexationBusyAndLocked(t *testing.T) {
	a := newApp(t)
	ctx := context.Background()
	c := loggedIn(a, officerEmail)
	id := ixAgreementID(t, a, ikfAgreementTitle)

	// Another instance runs the indexation: the officer's run does nothing.
	tx, err := a.db.Pool.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback(ctx) //nolint:errcheck // released below
	if ok, err := postgres.TryAdvisoryLock(ctx, tx, postgres.IndexationLockKey); err != nil || !ok {
		t.Fatalf("take the lock: %v %v", ok, err)
	}
	page := c.followFlash(c.post("/indexation", url.Values{"year": {"2024"}}))
	if !strings.Contains(page.Body, "En indexering pågår redan.") {
		t.Errorf("busy run's page:\n%s", page.Body)
	}
	if amounts, runs, _ := ixCounts(t, a); amounts != 0 || runs != 0 {
		t.Errorf("a refused run wrote %d amounts, %d runs", amounts, runs)
	}
	if err := tx.Rollback(ctx); err != nil {
		t.Fatal(err)
	}

	// A locked year is previewed as skipped, with the reason.
	c.followFlash(c.post("/indexation", url.Values{"year": {"2024"}}))
	err = a.db.InTx(ctx, func(tx pgx.Tx) error {
		_, err := postgres.NewYearAmounts(tx).LockYear(ctx, id, 2024, "Faktura 2024-1 godkänd")
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	res := c.get("/indexation?year=2024")
	for _, want := range []string{"Hoppas över: året är låst (Faktura 2024-1 godkänd).", `data-testid="indexation-skipped"`,
		"1 överenskommelse hoppades över eftersom året är låst."} {
		if !strings.Contains(res.Body, want) {
			t.Errorf("preview of a locked year lacks %q", want)
		}
	}
}

func TestIndexRatesAdmin(t *testing.T) {
	a := newApp(t)
	c := loggedIn(a, adminEmail)
	if res := c.get("/admin/index-rates"); res.StatusCode != http.StatusOK || !strings.Contains(res.Body, "Inga indexsatser har beslutats ännu.") {
		t.Errorf("empty list: %d", res.StatusCode)
	}
	if res := c.get("/admin/index-rates/new"); res.StatusCode != http.StatusOK || !strings.Contains(res.Body, `name="rate"`) {
		t.Errorf("new form: %d", res.StatusCode)
	}

	// Each field's error is named, and what was typed is kept.
	res := c.post("/admin/index-rates", url.Values{"year": {"tjugo"}, "rate": {"2,345"}, "source": {strings.Repeat("x", 201)}})
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("invalid rate: %d", res.StatusCode)
	}
	for _, want := range []string{"Ange året med fyra siffror", "Ange högst två decimaler", "Källan får vara högst 200 tecken.",
		`value="tjugo"`, `value="2,345"`, `data-testid="error-summary"`} {
		if !strings.Contains(res.Body, want) {
			t.Errorf("invalid form lacks %q", want)
		}
	}
	if res := c.post("/admin/index-rates", url.Values{"year": {"2024"}, "rate": {"100,01"}}); res.StatusCode != http.StatusUnprocessableEntity ||
		!strings.Contains(res.Body, "Ange en procentsats mellan") {
		t.Errorf("rate above 100 %%: %d", res.StatusCode)
	}

	pct := money.FormatPercent
	page := c.followFlash(c.post("/admin/index-rates", url.Values{"year": {"2024"}, "rate": {"2,3 %"}, "source": {" OPI definitiv 2023 "}}))
	for _, want := range []string{"Indexsatsen för 2024 (" + pct(230) + ") sparades.", "<td>2024</td>", pct(230), "<td>OPI definitiv 2023</td>"} {
		if !strings.Contains(page.Body, want) {
			t.Errorf("list after saving lacks %q", want)
		}
	}
	page = c.followFlash(c.post("/admin/index-rates", url.Values{"year": {"2024"}, "rate": {"3"}, "source": {"OPI definitiv 2024"}}))
	if !strings.Contains(page.Body, "Indexsatsen för 2024 ("+pct(300)+") ändrades.") || strings.Contains(page.Body, pct(230)) {
		t.Errorf("list after replacing:\n%s", page.Body)
	}

	res = c.get("/admin/index-rates/2024/delete")
	if res.StatusCode != http.StatusOK || !strings.Contains(res.Body, "Vill du ta bort indexsatsen för 2024 ("+pct(300)+", OPI definitiv 2024)?") {
		t.Errorf("confirm delete: %d", res.StatusCode)
	}
	page = c.followFlash(c.post("/admin/index-rates/2024/delete", nil))
	if !strings.Contains(page.Body, "Indexsatsen för 2024 ("+pct(300)+") togs bort.") || !strings.Contains(page.Body, "Inga indexsatser") {
		t.Errorf("list after deleting:\n%s", page.Body)
	}
	for _, path := range []string{"/admin/index-rates/2024/delete", "/admin/index-rates/tjugo/delete", "/admin/index-rates/1999/delete"} {
		if res := c.get(path); res.StatusCode != http.StatusNotFound {
			t.Errorf("GET %s: %d, want 404", path, res.StatusCode)
		}
	}
	if res := c.post("/admin/index-rates/2024/delete", nil); res.StatusCode != http.StatusNotFound {
		t.Errorf("delete twice: %d", res.StatusCode)
	}

	events, err := postgres.NewAudit(a.db.Pool).ForEntity(context.Background(), "index_rate", "2024", 10)
	if err != nil {
		t.Fatal(err)
	}
	var actions []string
	for _, e := range events {
		actions = append(actions, e.Action)
		if e.ActorID == nil || *e.ActorID != a.userID(adminEmail) {
			t.Errorf("%s by %v", e.Action, e.ActorID)
		}
	}
	if strings.Join(actions, " ") != "index_rate.delete index_rate.update index_rate.create" {
		t.Errorf("audit events %v", actions)
	}
	if events[1].Details["previous_rate_bp"] != float64(230) || events[1].Details["rate_bp"] != float64(300) {
		t.Errorf("update details %+v", events[1].Details)
	}
}

// TestIndexRateBounds: a decided rate is kept within −10 % and 20 %; one
// outside is refused on its field, with what was typed kept and nothing
// stored or audited.
func TestIndexRateBounds(t *testing.T) {
	a := newApp(t)
	c := loggedIn(a, adminEmail)
	fieldError := `<p class="field-error" id="rate-error">` + partnership.MsgIndexRateRange + `</p>`
	for _, typed := range []string{"20,01", "-10,01 %", "−99"} {
		res := c.post("/admin/index-rates", url.Values{"year": {"2024"}, "rate": {typed}, "source": {"OPI"}})
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Body, fieldError) ||
			!strings.Contains(res.Body, `value="`+typed+`"`) || !strings.Contains(res.Body, `href="#rate"`) {
			t.Errorf("rate %s: %d, want 422 with the message and the value kept", typed, res.StatusCode)
		}
	}
	ctx := context.Background()
	if list, err := postgres.NewIndexRates(a.db.Pool).List(ctx); err != nil || len(list) != 0 {
		t.Fatalf("refused rates stored: %+v, %v", list, err)
	}
	for year, typed := range map[int]string{2024: "20 %", 2025: "−10"} {
		if res := c.post("/admin/index-rates", url.Values{"year": {strconv.Itoa(year)}, "rate": {typed}}); res.StatusCode != http.StatusSeeOther {
			t.Errorf("rate %s: %d, want 303", typed, res.StatusCode)
		}
	}
	list, err := postgres.NewIndexRates(a.db.Pool).List(ctx)
	if err != nil || len(list) != 2 || list[0].RateBP != 2000 || list[1].RateBP != -1000 {
		t.Errorf("stored %+v, %v", list, err)
	}
}

// TestIndexationPreviewPages lists a year of more agreements than fit on a
// page a page at a time, with the total of them all on every page.
func TestIndexationPreviewPages(t *testing.T) {
	a := newApp(t)
	ctx := context.Background()
	year := a.clock.Now().Year()
	if _, err := demo.Generate(ctx, a.db, demo.Sizes{Agreements: 60, Participants: 10, Years: 1, LastYear: year, Seed: 2}, nil); err != nil {
		t.Fatal(err)
	}
	rep, err := indexation.NewService(a.db).Preview(ctx, year)
	if err != nil {
		t.Fatal(err)
	}
	n := len(rep.Agreements)
	if n <= 50 || n > 100 {
		t.Fatalf("%d agreements cover %d, want two pages", n, year)
	}
	var total money.Amount
	for _, ag := range rep.Agreements {
		for _, p := range ag.Parties {
			total = money.Sum(total, p.New)
		}
	}
	c := loggedIn(a, officerEmail)
	y := strconv.Itoa(year)
	first := c.get("/indexation?year=" + y)
	second := c.get("/indexation?year=" + y + "&page=2")
	beyond := c.get("/indexation?year=" + y + "&page=9")
	for _, tc := range []struct {
		name     string
		res      response
		rows     int
		showing  string
		prevNext []string
	}{
		{"first", first, 50, "Visar 1–50 av " + strconv.Itoa(n) + " överenskommelser.", []string{`rel="next"`}},
		{"second", second, n - 50, "Visar 51–" + strconv.Itoa(n) + " av " + strconv.Itoa(n) + " överenskommelser.", []string{`rel="prev"`}},
		{"beyond", beyond, n - 50, "Visar 51–", []string{`rel="prev"`}},
	} {
		if tc.res.StatusCode != http.StatusOK {
			t.Fatalf("%s page: %d", tc.name, tc.res.StatusCode)
		}
		if rows := strings.Count(tc.res.Body, "<tbody>"); rows != tc.rows {
			t.Errorf("%s page lists %d agreements, want %d", tc.name, rows, tc.rows)
		}
		for _, want := range append(tc.prevNext, tc.showing, "Sida ", "Summa för "+strconv.Itoa(n)+" överenskommelser", total.String()) {
			if !strings.Contains(tc.res.Body, want) {
				t.Errorf("%s page lacks %q", tc.name, want)
			}
		}
	}
	if strings.Contains(first.Body, `rel="prev"`) || strings.Contains(second.Body, `rel="next"`) {
		t.Error("a pager links beyond the first or last page")
	}
}
