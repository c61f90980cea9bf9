package server_test

import (
	"bytes"
	"context"
	"regexp"
	"strings"
	"testing"

	"iop/internal/money"
	"iop/internal/partnership"
	"iop/internal/postgres"
	"iop/templates"
)

// Demo agreements with activities.
const (
	progIKFTitle    = "Inkludering på lika villkor" // IKF, 2023–2024, logged in 2024
	progHoppTitle   = "Hoppfull framtid"            // Stadsmissionen, 2018–2019, logged in 2019
	progVolCategory = "Ideellt arbete"
)

// actAgreement finds a demo agreement by its title.
func actAgreement(t *testing.T, a *app, title string) partnership.Agreement {
	t.Helper()
	ag, err := postgres.NewAgreements(a.db.Pool).ByTitle(context.Background(), title)
	if err != nil {
		t.Fatal(err)
	}
	return ag
}

// actCount counts the activities of a type in a year, as the page should.
func actCount(t *testing.T, a *app, agreementID int64, typeName string, year int) string {
	t.Helper()
	var n int64
	if err := a.db.Pool.QueryRow(context.Background(), `SELECT count(*) FROM activities a JOIN activity_types t ON t.id = a.type_id
		WHERE a.agreement_id = $1 AND t.name = $2 AND extract(year FROM a.activity_date) = $3`,
		agreementID, typeName, year).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return itoa(n)
}

var (
	progressRowRE = regexp.MustCompile(`(?s)<tr data-testid="progress-row">(.*?)</tr>`)
	cellRE        = regexp.MustCompile(`(?s)<t[hd][^>]*>(.*?)</t[hd]>`)
	tagRE         = regexp.MustCompile(`<[^>]+>`)
)

// progressRows reads the progress table: type name → its cells as text.
func progressRows(body string) map[string][]string {
	out := map[string][]string{}
	for _, m := range progressRowRE.FindAllStringSubmatch(body, -1) {
		var cells []string
		for _, c := range cellRE.FindAllStringSubmatch(m[1], -1) {
			cells = append(cells, strings.Join(strings.Fields(tagRE.ReplaceAllString(c[1], " ")), " "))
		}
		out[cells[0]] = cells
	}
	return out
}

func TestAgreementPageShowsProgress(t *testing.T) {
	a := newApp(t)
	ikf := actAgreement(t, a, progIKFTitle)
	officer := loggedIn(a, officerEmail)

	// The agreement ended with 2024, so its last year is shown.
	res := officer.get(agPath(ikf.ID))
	if res.StatusCode != 200 {
		t.Fatalf("agreement page: %d", res.StatusCode)
	}
	body := res.Body
	for _, want := range []string{
		`<section id="progress-` + itoa(ikf.ID) + `"`, "Måluppfyllelse 2024", `data-testid="progress-chart"`,
		`role="img"`, `aria-labelledby="progress-` + itoa(ikf.ID) + `-title progress-` + itoa(ikf.ID) + `-desc"`,
		`<title id="progress-` + itoa(ikf.ID) + `-title">Utfört mot mål 2024, hela året</title>`,
		`<caption>Utfört mot mål 2024, hela året</caption>`, `<th scope="col">Aktivitetstyp</th>`,
		`<th scope="row">Må bra-grupp</th>`, `href="/agreements/` + itoa(ikf.ID) + `/activity-types"`,
		`name="year"`, `<option value="2023"`, `<option value="2024" selected`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("agreement page lacks %q", want)
		}
	}
	if strings.Contains(body, "hx-swap-oob") {
		t.Error("the page's progress section is marked for an out-of-band swap")
	}
	done := actCount(t, a, ikf.ID, "Må bra-grupp", 2024)
	rows := progressRows(body)
	// Aktivitetstyp, Enhet, Utfört, Mål, Förväntat hittills, Andel av målet, Status
	if got := rows["Må bra-grupp"]; len(got) != 7 || got[2] != done || got[3] != "52" || got[4] != "52" || got[6] != "I fas" {
		t.Errorf("Må bra-grupp row: %q, want %s of 52, I fas", got, done)
	}
	if got := rows["Individuellt motiverande samtal"]; len(got) != 7 || got[1] != "timmar" || got[3] != "1200" || got[6] != "Efter plan" {
		t.Errorf("motivational talks row: %q, want hours behind 1200", got)
	}
	if got := rows["Promenad/utflykt"]; len(got) != 7 || got[3] != "Inget mål" || got[6] != "Inget mål" {
		t.Errorf("walks row: %q, want no target", got)
	}
	// The chart's text alternative carries the same figures and the status in words.
	desc := regexp.MustCompile(`(?s)<desc[^>]*>(.*?)</desc>`).FindStringSubmatch(body)
	if desc == nil || !strings.Contains(desc[1], "Må bra-grupp: "+done+" av 52 tillfällen, förväntat hittills 52, I fas.") {
		t.Errorf("chart description: %q", desc)
	}

	// Another year by ?year=: 2023 has no targets.
	body = officer.get(agPath(ikf.ID) + "?year=2023").Body
	if !strings.Contains(body, "Måluppfyllelse 2023") || !strings.Contains(body, `<option value="2023" selected`) {
		t.Error("?year=2023 does not show 2023")
	}
	if got := progressRows(body)["Må bra-grupp"]; len(got) != 7 || got[2] != "0" || got[6] != "Inget mål" {
		t.Errorf("Må bra-grupp 2023: %q", got)
	}
	// A nonsense year falls back to the default.
	if body := officer.get(agPath(ikf.ID) + "?year=abc").Body; !strings.Contains(body, "Måluppfyllelse 2024") {
		t.Error("?year=abc does not fall back to 2024")
	}

	// A target per participant is derived for a year without its own
	// target: 4 coaching sessions × 60 participants (the middle of 40–80).
	hopp := actAgreement(t, a, progHoppTitle)
	body = officer.get(agPath(hopp.ID) + "?year=2018").Body
	if got := progressRows(body)["Coachning och handledning"]; len(got) != 7 || got[3] != "240 (per deltagare)" || got[6] != "Efter plan" {
		t.Errorf("derived target: %q", got)
	}

	// Viewers and the association's staff see the progress, without the
	// link to the configuration.
	for _, email := range []string{viewerEmail, ikfEmail} {
		body := loggedIn(a, email).get(agPath(ikf.ID)).Body
		if !strings.Contains(body, `data-testid="progress-chart"`) || strings.Contains(body, `data-testid="activity-types-link"`) {
			t.Errorf("%s: progress chart missing or configuration link shown", email)
		}
	}
}

func TestAgreementPageProgressWithoutTypes(t *testing.T) {
	a := newApp(t)
	ag := agStore(t, a, "Utan aktivitetstyper", ikfOrganisation)
	agSetToday(a, "2026-03-05")
	body := loggedIn(a, officerEmail).get(agPath(ag.ID)).Body
	if !strings.Contains(body, "Måluppfyllelse 2026") || !strings.Contains(body, `data-testid="progress-empty"`) ||
		strings.Contains(body, `role="img"`) {
		t.Error("an agreement without types shows no empty progress section for this year")
	}
}

func TestVolunteerBesideBudget(t *testing.T) {
	a := newApp(t)
	hopp := actAgreement(t, a, progHoppTitle)
	ctx := context.Background()
	var minutes int64
	if err := a.db.Pool.QueryRow(ctx, `SELECT coalesce(sum(volunteer_minutes), 0) FROM activities
		WHERE agreement_id = $1 AND extract(year FROM activity_date) = 2019`, hopp.ID).Scan(&minutes); err != nil {
		t.Fatal(err)
	}
	if minutes == 0 {
		t.Fatal("the demo logs no volunteer time for 2019")
	}
	lines, err := postgres.NewBudgets(a.db.Pool).Lines(ctx, hopp.ID)
	if err != nil {
		t.Fatal(err)
	}
	var volunteer []partnership.BudgetLine
	for _, l := range lines {
		if l.Kind == partnership.InKind && l.Category == progVolCategory {
			volunteer = append(volunteer, l)
		}
	}
	if len(volunteer) == 0 {
		t.Fatal("the demo budget has no in-kind volunteer line")
	}
	start, end, _ := partnership.BudgetPeriod(hopp)
	budgeted := partnership.TotalForYear(volunteer, start, end, 2019,
		partnership.Rates(hopp.IndexMode, hopp.IndexRateBP, nil))
	hours := partnership.FormatHours(minutes)
	page := agPath(hopp.ID) + "/activity-types"

	if _, err := a.db.Pool.Exec(ctx, `UPDATE agreements SET volunteer_hour_rate = 0 WHERE id = $1`, hopp.ID); err != nil {
		t.Fatal(err)
	}
	body := loggedIn(a, officerEmail).get(page).Body
	if !strings.Contains(body, `data-testid="volunteer-no-rate"`) || !strings.Contains(body, `href="/agreements/`+itoa(hopp.ID)+`/edit#volunteer_hour_rate"`) {
		t.Error("without a rate the officer is not sent to set one")
	}
	if !strings.Contains(body, "2019: Budgeterat: "+budgeted.String()+" · Loggat: "+hours+" timmar</strong>") {
		t.Errorf("volunteer summary without a rate: want budget %s and %s hours", budgeted, hours)
	}
	if viewer := loggedIn(a, viewerEmail).get(page).Body; !strings.Contains(viewer, `data-testid="volunteer-no-rate"`) ||
		strings.Contains(viewer, "/edit#volunteer_hour_rate") {
		t.Error("a viewer is offered to set the rate")
	}

	if _, err := a.db.Pool.Exec(ctx, `UPDATE agreements SET volunteer_hour_rate = 25000 WHERE id = $1`, hopp.ID); err != nil {
		t.Fatal(err)
	}
	rate := money.Kronor(250)
	value := partnership.VolunteerValue(minutes, rate)
	body = loggedIn(a, ikfEmail).get(agPath(actAgreement(t, a, progIKFTitle).ID) + "/activity-types").Body
	if !strings.Contains(body, `data-testid="volunteer"`) {
		t.Error("IKF's staff see no volunteer section on their agreement")
	}
	body = loggedIn(a, officerEmail).get(page).Body
	want := "2019: Budgeterat: " + budgeted.String() + " · Loggat: " + hours + " timmar × " + rate.String() + " = " + value.String()
	if !strings.Contains(body, want) {
		t.Errorf("volunteer summary: want %q", want)
	}
	if !strings.Contains(body, `<th scope="row">2019</th><td class="num nowrap">`+budgeted.String()+`</td><td class="num">`+hours+`</td><td class="num nowrap">`+value.String()+`</td>`) {
		t.Error("the volunteer table lacks 2019's figures")
	}
}

// TestActivityProgressOOB renders the section as an htmx response does:
// marked for an out-of-band swap of the element with the same id.
func TestActivityProgressOOB(t *testing.T) {
	t.Parallel()
	vm := templates.ActivityProgressVM{AgreementID: 7, Year: 2026, AsOf: "2026-03-05", OOB: true, Rows: []templates.ActivityProgressRow{{
		TypeName: "Må bra-grupp", Unit: "tillfällen", Done: "8", Target: "52", Expected: "9", Percent: "15 %",
		Status: "I fas", StatusKey: "on_track", Summary: "8 av 52 tillfällen", HasTarget: true, DoneW: 92, TargetX: 600, TargetEndX: 600, ExpectedX: 104,
	}}}
	var buf bytes.Buffer
	if err := templates.ActivityProgress(vm).Render(context.Background(), &buf); err != nil {
		t.Fatal(err)
	}
	html := buf.String()
	for _, want := range []string{`<section id="progress-7"`, `hx-swap-oob="true"`, `<rect x="0" y="29" width="92" height="12" class="progress-done">`,
		`<desc id="progress-7-desc">Må bra-grupp: 8 av 52 tillfällen, förväntat hittills 9, I fas.</desc>`, "Utfört mot mål 2026, läget 2026-03-05"} {
		if !strings.Contains(html, want) {
			t.Errorf("section lacks %q:\n%s", want, html)
		}
	}
	if strings.Contains(html, "<form") {
		t.Error("a section without YearAction has a year selector")
	}
}
