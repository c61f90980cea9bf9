package server_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"

	"iop/internal/money"
	"iop/internal/partnership"
	"iop/internal/postgres"
)

// The demo agreements whose budgets the sources state.
const (
	budKISAM        = "Förstegsinsats med KISAM-Världens mammor"
	budIKF          = "Inkludering på lika villkor"
	budHopp         = "Hoppfull framtid"
	budMunicipality = "Linköpings kommun"
)

// kr writes an amount as the pages show it: digit groups and the unit
// separated by no-break spaces.
func kr(s string) string { return strings.ReplaceAll(s, " ", "\u00a0") }

// budAgreement finds a demo agreement by its title.
func budAgreement(t *testing.T, a *app, title string) partnership.Agreement {
	t.Helper()
	ag, err := postgres.NewAgreements(a.db.Pool).ByTitle(context.Background(), title)
	if err != nil {
		t.Fatal(err)
	}
	return ag
}

// budParty is the id of the named organisation's party in ag.
func budParty(t *testing.T, ag partnership.Agreement, org string) int64 {
	t.Helper()
	for _, p := range ag.Parties {
		if p.OrganisationName == org {
			return p.ID
		}
	}
	t.Fatalf("%s is not a party of %s", org, ag.Title)
	return 0
}

// budLines are the agreement's budget lines as stored.
func budLines(t *testing.T, a *app, agreementID int64) []partnership.BudgetLine {
	t.Helper()
	lines, err := postgres.NewBudgets(a.db.Pool).Lines(context.Background(), agreementID)
	if err != nil {
		t.Fatal(err)
	}
	return lines
}

// budLine is the agreement's line with the text.
func budLine(t *testing.T, a *app, agreementID int64, text string) partnership.BudgetLine {
	t.Helper()
	for _, l := range budLines(t, a, agreementID) {
		if l.Text == text {
			return l
		}
	}
	t.Fatalf("no line %q", text)
	return partnership.BudgetLine{}
}

// budTotal is the agreement's stated total with the amount in kronor.
func budTotal(t *testing.T, a *app, agreementID int64, kronor int64) partnership.StatedTotal {
	t.Helper()
	totals, err := postgres.NewBudgets(a.db.Pool).Totals(context.Background(), agreementID)
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range totals {
		if tt.Amount == money.Kronor(kronor) {
			return tt
		}
	}
	t.Fatalf("no total of %d kr", kronor)
	return partnership.StatedTotal{}
}

var budDeviationRow = regexp.MustCompile(`(?s)<tr data-testid="deviation">.*?</tr>`)

// budDeviations are the rows of the consistency checks on a budget page.
func budDeviations(body string) []string { return budDeviationRow.FindAllString(body, -1) }

// budRow is the table row with the test id that contains label.
func budRow(t *testing.T, body, testID, label string) string {
	t.Helper()
	re := regexp.MustCompile(`(?s)<tr data-testid="` + regexp.QuoteMeta(testID) + `">.*?</tr>`)
	for _, row := range re.FindAllString(body, -1) {
		if strings.Contains(row, label) {
			return row
		}
	}
	t.Fatalf("no %s row with %q", testID, label)
	return ""
}

// budCells are the texts of a row's value cells, in order.
func budCells(row string) []string {
	var out []string
	for _, m := range regexp.MustCompile(`<td class="num nowrap">(?:<strong>)?([^<]*)`).FindAllStringSubmatch(row, -1) {
		out = append(out, m[1])
	}
	return out
}

// budgetFixture is what the matrix's budget rows point at: IKF's demo
// agreement, with lines and totals of its own.
type budgetFixture struct {
	budget      string // the budget page of the agreement
	line        string // a line whose basis deviates from its amount
	lineVictim  string // a line the delete row removes
	total       string // a stated total that deviates from its lines
	totalVictim string // a stated total the delete row removes
}

func newBudgetFixture(t *testing.T, a *app) budgetFixture {
	t.Helper()
	ctx := context.Background()
	ag := budAgreement(t, a, budIKF)
	ikf := budParty(t, ag, ikfName)
	store := postgres.NewBudgets(a.db.Pool)
	line := func(text string) string {
		l, err := store.CreateLine(ctx, partnership.BudgetLine{
			AgreementID: ag.ID, PartyID: ikf, Text: text, Kind: partnership.InKind, Indexed: true,
			Amount: money.Kronor(2000), Basis: &partnership.Basis{Quantity: 1, UnitPrice: money.Kronor(1000), Unit: "kr/månad",
				ShareBP: partnership.FullShareBP, Periods: 1, Persons: 1},
		})
		if err != nil {
			t.Fatal(err)
		}
		return "/agreements/" + itoa(ag.ID) + "/budget/lines/" + itoa(l.ID)
	}
	total := func(section string) string {
		tt, err := store.CreateTotal(ctx, partnership.StatedTotal{AgreementID: ag.ID, PartyID: ikf, Section: section, Amount: money.Kronor(1)})
		if err != nil {
			t.Fatal(err)
		}
		return "/agreements/" + itoa(ag.ID) + "/budget/totals/" + itoa(tt.ID)
	}
	return budgetFixture{
		budget: "/agreements/" + itoa(ag.ID) + "/budget", line: line("Matrisens budgetpost"), lineVictim: line("Tas bort"),
		total: total("Matris"), totalVictim: total("Matris borttagen"),
	}
}

func TestBudgetPageShowsTheSeedDeviations(t *testing.T) {
	a := newApp(t)
	officer := loggedIn(a, officerEmail)

	kisam := budAgreement(t, a, budKISAM)
	res := officer.get(agPath(kisam.ID) + "/budget")
	if res.StatusCode != http.StatusOK {
		t.Fatalf("KISAM budget: %d", res.StatusCode)
	}
	// The municipality's two sections and its total, and KISAM's in-kind lines.
	for _, want := range []string{kr("1 095 000 kr"), kr("156 000 kr"), kr("1 251 000 kr"), kr("834 000 kr"),
		"Summa Kunskapsutflykter 10 st/heldagar/år", "Naturainsats", kr("800 kr/vecka") + " × 47 = " + kr("37 600 kr")} {
		if !strings.Contains(res.Body, want) {
			t.Errorf("KISAM budget: no %q", want)
		}
	}
	devs := budDeviations(res.Body)
	// Volunteer work, the manager's salary, creative material, fika, mileage.
	if len(devs) != 5 {
		t.Errorf("KISAM has %d deviations, want 5:\n%s", len(devs), strings.Join(devs, "\n"))
	}
	volunteer := ""
	for _, d := range devs {
		if strings.Contains(d, "Ideellt arbete") {
			volunteer = d
		}
	}
	for _, want := range []string{kr("282 000 kr"), kr("120 000 kr"), kr("162 000 kr"), "Ej godkänd", "Godta avvikelse"} {
		if !strings.Contains(volunteer, want) {
			t.Errorf("KISAM's volunteer deviation %q lacks %q", volunteer, want)
		}
	}

	ikf := budAgreement(t, a, budIKF)
	res = officer.get(agPath(ikf.ID) + "/budget")
	devs = budDeviations(res.Body)
	if len(devs) != 1 {
		t.Fatalf("IKF has %d deviations, want 1", len(devs))
	}
	for _, want := range []string{kr("910 000 kr"), kr("900 000 kr"), kr("10 000 kr"), "Hela överenskommelsen"} {
		if !strings.Contains(devs[0], want) {
			t.Errorf("IKF's deviation %q lacks %q", devs[0], want)
		}
	}

	// Readers see the checks but no way to accept them.
	viewer := loggedIn(a, viewerEmail)
	res = viewer.get(agPath(ikf.ID) + "/budget")
	if res.StatusCode != http.StatusOK || len(budDeviations(res.Body)) != 1 || strings.Contains(res.Body, "Godta avvikelse") ||
		strings.Contains(res.Body, "Ny budgetpost") {
		t.Errorf("viewer's budget page: %d", res.StatusCode)
	}
	// The agreement page links to the budget and states the index terms.
	res = viewer.get(agPath(ikf.ID))
	for _, want := range []string{`data-testid="budget-link"`, `data-testid="budget-years-link"`, "Fast procentsats, 2" + "\u00a0" + "% per kalenderår"} {
		if !strings.Contains(res.Body, want) {
			t.Errorf("agreement page: no %q", want)
		}
	}
}

func TestBudgetAcceptDeviation(t *testing.T) {
	a := newApp(t)
	c := loggedIn(a, officerEmail)
	ikf := budAgreement(t, a, budIKF)
	total := budTotal(t, a, ikf.ID, 910000)
	path := agPath(ikf.ID) + "/budget/totals/" + itoa(total.ID) + "/deviation"

	res := c.get(path)
	if res.StatusCode != http.StatusOK || !strings.Contains(res.Body, kr("10 000 kr")) || strings.Contains(res.Body, "withdraw-form") {
		t.Fatalf("accept form: %d", res.StatusCode)
	}
	res = c.post(path, url.Values{"accepted_note": {"  "}})
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Body, "Skriv varför avvikelsen godtas.") {
		t.Fatalf("empty explanation: %d", res.StatusCode)
	}
	const why = "Källan avrundar <uppåt>; 900 000 kr gäller."
	if res = c.post(path, url.Values{"accepted_note": {why}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("accept: %d", res.StatusCode)
	}
	page := c.get(agPath(ikf.ID) + "/budget")
	devs := budDeviations(page.Body)
	if len(devs) != 1 || !strings.Contains(devs[0], "Godkänd") || !strings.Contains(devs[0], "Källan avrundar &lt;uppåt&gt;; 900 000 kr gäller.") {
		t.Errorf("accepted deviation shows %q", devs)
	}
	if !strings.Contains(page.Body, "Avvikelsen godtogs") {
		t.Error("no flash after accepting")
	}

	// The accept form now offers to withdraw; withdrawing makes it open again.
	if res = c.get(path); !strings.Contains(res.Body, "withdraw-form") || !strings.Contains(res.Body, "900 000 kr gäller.") {
		t.Error("accept form of an accepted deviation: no withdraw form or explanation")
	}
	if res = c.post(path+"/withdraw", nil); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("withdraw: %d", res.StatusCode)
	}
	if devs = budDeviations(c.get(agPath(ikf.ID) + "/budget").Body); len(devs) != 1 || !strings.Contains(devs[0], "Ej godkänd") {
		t.Errorf("after withdrawing: %q", devs)
	}

	// A line's deviation: KISAM's volunteer work.
	kisam := budAgreement(t, a, budKISAM)
	volunteer := budLine(t, a, kisam.ID, "Ideellt arbete (handledning, planering, kunskapshöjande insatser)")
	linePath := agPath(kisam.ID) + "/budget/lines/" + itoa(volunteer.ID) + "/deviation"
	if res = c.get(linePath); res.StatusCode != http.StatusOK || !strings.Contains(res.Body, kr("162 000 kr")) {
		t.Fatalf("line accept form: %d", res.StatusCode)
	}
	if res = c.post(linePath, url.Values{"accepted_note": {"Sociala avgifter ingår."}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("accept line: %d", res.StatusCode)
	}
	if got := budLine(t, a, kisam.ID, volunteer.Text).AcceptedNote; got != "Sociala avgifter ingår." {
		t.Errorf("stored note %q", got)
	}
	// A line whose basis gives its amount has nothing to accept.
	rent := budLine(t, a, kisam.ID, "Hyra för lokal")
	if res = c.get(agPath(kisam.ID) + "/budget/lines/" + itoa(rent.ID) + "/deviation"); res.StatusCode != http.StatusNotFound {
		t.Errorf("accept form of a line without deviation: %d", res.StatusCode)
	}

	wantActions := []string{"budget.accept_deviation", "budget.withdraw_deviation"}
	if got := agActions(t, a, ikf.ID); !slices.Equal(got[len(got)-2:], wantActions) {
		t.Errorf("IKF audit %v", got)
	}
	if got := agActions(t, a, kisam.ID); got[len(got)-1] != "budget.accept_deviation" {
		t.Errorf("KISAM audit %v", got)
	}
	if res := c.get(agPath(kisam.ID)); !strings.Contains(res.Body, "Godtog avvikelse i budgeten") || !strings.Contains(res.Body, "Förklaring: Sociala avgifter ingår.") {
		t.Error("the agreement's history does not show the acceptance")
	}
}

func TestAgreementFormIndexTerms(t *testing.T) {
	a := newApp(t)
	c := loggedIn(a, officerEmail)
	ag := budAgreement(t, a, budIKF)
	if res := c.get(agPath(ag.ID) + "/edit"); !strings.Contains(res.Body, `name="index_rate" type="text" value="2"`) ||
		!strings.Contains(res.Body, `<option value="fixed" selected>`) {
		t.Error("edit form does not show the fixed 2 %")
	}
	form := budAgreementForm(t, c, ag.ID)
	form.Set("index_mode", "annat")
	form.Set("index_rate", "150")
	form.Set("volunteer_hour_rate", "tvåhundra")
	res := c.post(agPath(ag.ID), form)
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("invalid terms: %d", res.StatusCode)
	}
	for _, want := range []string{"Välj fast procentsats eller kommunens beslutade index.", "Ange en procentsats mellan",
		`value="tvåhundra"`, `href="#volunteer_hour_rate"`} {
		if !strings.Contains(res.Body, want) {
			t.Errorf("invalid terms: no %q", want)
		}
	}
	form.Set("index_mode", "fixed")
	form.Set("index_rate", "2,5 %")
	form.Set("volunteer_hour_rate", "250")
	if res = c.post(agPath(ag.ID), form); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("valid terms: %d\n%s", res.StatusCode, res.Body)
	}
	stored := agRead(t, a, ag.ID)
	if stored.IndexMode != partnership.IndexFixed || stored.IndexRateBP != 250 || stored.VolunteerHourRate != money.Kronor(250) {
		t.Errorf("stored terms %s %d %d", stored.IndexMode, stored.IndexRateBP, stored.VolunteerHourRate)
	}
	page := c.get(agPath(ag.ID))
	for _, want := range []string{"Fast procentsats, 2,5\u00a0% per kalenderår", kr("250 kr") + " per timme", "Fast procentsats, Värde per ideell timme"} {
		if !strings.Contains(page.Body, want) {
			t.Errorf("agreement page: no %q", want)
		}
	}
	// IKF's municipal 450 000 kr now grows by 2,5 %.
	res = c.get(agPath(ag.ID) + "/budget/years")
	if got := budYearsRow(t, res.Body, "year-party-total", "Summa "+budMunicipality); !slices.Equal(got, []string{kr("450 000 kr"), kr("461 250 kr")}) {
		t.Errorf("municipal total at 2,5 %%: %q", got)
	}
}
